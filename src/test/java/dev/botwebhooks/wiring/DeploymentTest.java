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
  void primeHitPath_runsAHitOnAScratchStore_silently_leavingTheRealStoreUntouched() {
    MemoryStore store = new MemoryStore();
    Deployment deployment =
        new Deployment(Settings.defaults(), store, IdGenerator.secure(), Clock.systemUTC());
    PrintStream original = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    int status;
    try {
      status = deployment.primeHitPath();
    } finally {
      System.setErr(original);
    }

    assertThat(status).isEqualTo(200);
    assertThat(log.toString(StandardCharsets.UTF_8)).as("no request-like log line").isEmpty();
    assertThat(store.bot("prime")).isEmpty();
  }
}
