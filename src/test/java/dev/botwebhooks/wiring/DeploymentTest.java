package dev.botwebhooks.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.store.MemoryStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class DeploymentTest {
  @Test
  void primeHitPath_runsAHitOnAScratchStore_leavingTheRealStoreUntouched() {
    MemoryStore store = new MemoryStore();
    Deployment deployment =
        new Deployment(Settings.defaults(), store, IdGenerator.secure(), Clock.systemUTC());
    PrintStream original = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      deployment.primeHitPath();
    } finally {
      System.setErr(original);
    }

    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("\"request_id\":\"prime\"")
        .contains("\"status\":200");
    assertThat(store.bot("prime")).isEmpty();
  }
}
