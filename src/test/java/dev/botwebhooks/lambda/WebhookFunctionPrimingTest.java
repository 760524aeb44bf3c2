package dev.botwebhooks.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.PropertyKey;
import dev.botwebhooks.store.MemoryStore;
import dev.botwebhooks.wiring.Deployment;
import dev.botwebhooks.wiring.PrimingHits;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookFunctionPrimingTest {
  @Test
  void primingHits_goInAsHttpApiEvents_andAnswer200_silently_onAScratchStore() {
    MemoryStore store = new MemoryStore();
    Deployment deployment =
        new Deployment(Settings.defaults(), store, IdGenerator.secure(), Clock.systemUTC());
    PrintStream original = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    int status;
    try {
      status = WebhookFunction.prime(deployment, 3);
      assertThat(WebhookFunction.prime(deployment, 2)).as("a browser's GET, the second shape")
          .isEqualTo(200);
    } finally {
      System.setErr(original);
    }

    assertThat(status).isEqualTo(200);
    assertThat(log.toString(StandardCharsets.UTF_8)).as("no request-like log line").isEmpty();
    assertThat(store.bot("prime")).isEmpty();
  }

  @Test
  void everyPrimingHitRuns_howeverLowTheRateLimit() {
    Deployment deployment =
        new Deployment(
            Settings.from(Map.of(Settings.Env.RATE_LIMIT_PER_MINUTE, "2")), new MemoryStore(),
            IdGenerator.secure(), Clock.systemUTC());
    List<Integer> statuses = new ArrayList<>();
    deployment.primeHitPath(
        5,
        hit -> {
          int status = PrimingHits.sendDirect(hit);
          statuses.add(status);
          return status;
        });
    assertThat(statuses).containsExactly(200, 200, 200, 200, 200);
  }

  @Test
  void initOffTheRequestsPath_primesMore() {
    assertThat(WebhookFunction.primingHits("snap-start")).isEqualTo(300);
    assertThat(WebhookFunction.primingHits("provisioned-concurrency")).isEqualTo(300);
    assertThat(WebhookFunction.primingHits("on-demand")).isEqualTo(1);
    assertThat(WebhookFunction.primingHits(null)).isEqualTo(1);
    assertThat(WebhookFunction.initOffTheRequestPath("snap-start")).isTrue();
    assertThat(WebhookFunction.initOffTheRequestPath("provisioned-concurrency")).isTrue();
    assertThat(WebhookFunction.initOffTheRequestPath("on-demand")).isFalse();
  }

  @Test
  void primingCommit_writesNothing() {
    MemoryStore store = new MemoryStore();
    Deployment deployment =
        new Deployment(Settings.defaults(), store, IdGenerator.secure(), Clock.systemUTC());
    deployment.primeCommit();
    assertThat(store.property(new PropertyKey("prime", "1", "primed"))).isEmpty();
  }
}
