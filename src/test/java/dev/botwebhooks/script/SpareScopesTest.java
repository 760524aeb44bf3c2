package dev.botwebhooks.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mozilla.javascript.ScriptableObject;

class SpareScopesTest {
  private final SandboxContextFactory factory = new SandboxContextFactory();
  private final SpareScopes spares = new SpareScopes(factory);

  /** However runs on many threads take them, no scope is ever handed out twice. */
  @Test
  void everyTakeGetsAScopeOfItsOwn() throws Exception {
    Set<ScriptableObject> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<ScriptableObject>>> takers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        takers.add(
            pool.submit(
                () -> {
                  List<ScriptableObject> mine = new ArrayList<>();
                  for (int i = 0; i < 150; i++) {
                    mine.add(factory.call(spares::take));
                  }
                  return mine;
                }));
      }
      int taken = 0;
      for (Future<List<ScriptableObject>> f : takers) {
        for (ScriptableObject scope : f.get(60, TimeUnit.SECONDS)) {
          seen.add(scope);
          taken++;
        }
      }
      assertThat(taken).isEqualTo(600);
      assertThat(seen).hasSize(600);
    } finally {
      pool.shutdownNow();
    }
  }

  /** The next scope is made in the background, untouched by the run that took the last one. */
  @Test
  void theSpareIsMadeAheadAndIsFresh() throws Exception {
    ScriptableObject first = factory.call(spares::take);
    factory.call(cx -> cx.evaluateString(first, "Object.prototype.polluted = 1; Math.PI2 = 2", "x", 1, null));
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (spares.ready() < SpareScopes.SPARES && System.nanoTime() < until) {
      Thread.sleep(5);
    }
    assertThat(spares.ready()).as("the maker goes on until it has made every spare")
        .isEqualTo(SpareScopes.SPARES);
    Thread.sleep(50);
    assertThat(spares.ready()).as("and makes no more").isEqualTo(SpareScopes.SPARES);
    for (int i = 0; i < SpareScopes.SPARES; i++) {
      ScriptableObject next = factory.call(spares::take);
      assertThat(next).isNotSameAs(first);
      Object seen =
          factory.call(
              cx -> cx.evaluateString(next, "typeof ({}).polluted + typeof Math.PI2", "x", 1, null));
      assertThat(seen).isEqualTo("undefinedundefined");
    }
  }

  /** A snapshotted init waits for the spares: they are made before any run has taken one. */
  @Test
  void awaitReady_makesTheSparesWhenNoRunHasAskedYet() throws Exception {
    assertThat(spares.ready()).isZero();
    assertThat(spares.awaitReady(Duration.ofSeconds(30))).isTrue();
    assertThat(spares.ready()).isEqualTo(SpareScopes.SPARES);
  }

  @Test
  void awaitReady_givesUpAtItsLimit() throws Exception {
    assertThat(spares.awaitReady(Duration.ZERO)).isFalse();
  }
}
