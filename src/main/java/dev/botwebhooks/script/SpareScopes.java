package dev.botwebhooks.script;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.ScriptableObject;

/**
 * The next runs' fresh standard objects, made ahead on a background thread while this run goes on
 * or while the hit waits on the store (README "Performance"). A run takes a spare scope when one
 * is ready and never waits for one: without a spare it makes its own in line, as before. Each
 * scope is handed to one run only, so runs stay as far apart as when each makes its own. Up to
 * {@link #SPARES} are kept: once started, the maker goes on until that many are ready, so that
 * when runs come faster than it makes scopes it never sits idle between two takes.
 */
final class SpareScopes {
  static final int SPARES = 2;

  private static final ExecutorService MAKER =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread thread = new Thread(task, "script-scope-maker");
            thread.setDaemon(true);
            return thread;
          });

  private final SandboxContextFactory factory;
  private final Queue<ScriptableObject> spares = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean making = new AtomicBoolean();

  SpareScopes(SandboxContextFactory factory) {
    this.factory = factory;
  }

  /**
   * A fresh scope for the run on {@code cx}: a spare if one is ready, else one made now. The
   * maker is started after that, so that the first scopes of a process are not made on two
   * threads at once (each would link the same built-ins' lambdas, and load their classes, again).
   */
  ScriptableObject take(Context cx) {
    ScriptableObject ready = spares.poll();
    ScriptableObject scope = ready != null ? ready : Sandbox.newScope(cx);
    refill();
    return scope;
  }

  /** How many spare scopes are ready for the next runs. */
  int ready() {
    return spares.size();
  }

  /**
   * Waits, at most {@code limit}, until the maker is done and the spares are ready: an init that
   * is snapshotted waits for them before its last priming hits, so the first request finds one
   * (README "Performance").
   *
   * @return whether they were ready in time
   */
  boolean awaitReady(Duration limit) throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (making.get() || spares.size() < SPARES) {
      if (System.nanoTime() >= end) {
        return false;
      }
      if (!making.get()) {
        refill();
      }
      Thread.sleep(1);
    }
    return true;
  }

  private void refill() {
    if (spares.size() >= SPARES || !making.compareAndSet(false, true)) {
      return;
    }
    MAKER.execute(
        () -> {
          try {
            while (spares.size() < SPARES) {
              spares.add(factory.call(Sandbox::newScope));
            }
          } catch (RuntimeException | StackOverflowError e) {
            // Left for the next run to make in line, where a failure is reported as the run's.
          } finally {
            making.set(false);
          }
        });
  }
}
