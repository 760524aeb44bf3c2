package dev.botwebhooks.script;

import static dev.botwebhooks.script.Runs.cmd;
import static dev.botwebhooks.script.Runs.code;
import static dev.botwebhooks.script.Runs.request;
import static dev.botwebhooks.script.Runs.texts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.botwebhooks.core.MintRequest;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.core.RunHost;
import dev.botwebhooks.core.RunResult;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A run stuck where no deadline check reaches it is abandoned, and changes nothing after. */
@Timeout(30)
class RunWatchdogTest {
  private final RhinoScriptRuntime runtime = new RhinoScriptRuntime(Runs.limits(300));

  /** A host whose first property read never returns, like a Java loop that never checks. */
  private static final class StuckHost implements RunHost {
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean wroteAfterRelease;

    @Override
    public Optional<PropertyValue> getProperty(Optional<String> userId, String name) {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Optional.empty();
    }

    @Override
    public void setProperty(Optional<String> userId, String name, PropertyValue value) {
      wroteAfterRelease = true;
    }

    @Override
    public void deleteProperty(Optional<String> userId, String name) {
      wroteAfterRelease = true;
    }

    @Override
    public String mint(MintRequest request) {
      wroteAfterRelease = true;
      return "";
    }
  }

  @Test
  void stuckRun_isAbandonedAsTimeLimit_fencedOff_andTheNextRunWorks() throws Exception {
    StuckHost stuck = new StuckHost();

    RunResult result =
        runtime.run(
            request(
                code("b", cmd("/x", "Bot.getProperty('a'); Bot.setProperty('b', 1)")), "/x", 300),
            stuck);

    assertThat(result).isInstanceOf(RunResult.Failed.class);
    assertThat(((RunResult.Failed) result).limit()).contains("SCRIPT_TIME_LIMIT_MS");
    assertThat(runtime.abandonedRuns()).isEqualTo(1);

    RunResult next =
        runtime.run(
            request(code("c", cmd("/y", "Bot.sendMessage('fine')")), "/y", 300), new MapRunHost());
    assertThat(texts(next)).containsExactly("fine");

    stuck.release.countDown();
    Thread.sleep(200);
    assertThat(stuck.wroteAfterRelease).isFalse();
  }
}
