package dev.botwebhooks.script;

import static dev.botwebhooks.script.Runs.cmd;
import static dev.botwebhooks.script.Runs.code;
import static dev.botwebhooks.script.Runs.request;
import static dev.botwebhooks.script.Runs.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.botwebhooks.core.MintRequest;
import dev.botwebhooks.core.PropertyType;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.core.RunHost;
import dev.botwebhooks.core.RunResult;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A run stuck where no deadline check reaches it is abandoned, and changes nothing after. */
@Timeout(30)
class RunWatchdogTest {
  private final RhinoScriptRuntime runtime = new RhinoScriptRuntime(Runs.limits(300));

  /** A host whose first property read never returns, like a Java loop that never checks. */
  private static final class StuckHost implements RunHost {
    @Override
    public void keepRun() {}

    final CountDownLatch release = new CountDownLatch(1);

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
    public void setProperty(Optional<String> userId, String name, PropertyValue value) {}

    @Override
    public void deleteProperty(Optional<String> userId, String name) {}

    @Override
    public String mint(MintRequest request) {
      return "";
    }
  }

  @Test
  void stuckRun_isAbandonedAsTimeLimit_andTheNextRunWorks() throws Exception {
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
  }

  /** The name of the worker thread a run of {@code watchdog} executes on. */
  private static String workerOf(RunWatchdog watchdog, Runnable during) {
    RunResult result =
        watchdog.call(
            fenced -> {
              during.run();
              return new RunResult.Failed(Thread.currentThread().getName(), Optional.empty());
            },
            new MapRunHost(),
            Duration.ofSeconds(10),
            t -> new RunResult.Failed(t.toString(), Optional.empty()));
    return ((RunResult.Failed) result).message();
  }

  @Test
  void oneWorker_staysThroughAQuietSpell_sparesEnd() throws Exception {
    RunWatchdog watchdog = new RunWatchdog(Duration.ofMillis(50));
    CountDownLatch bothRunning = new CountDownLatch(2);
    Runnable overlap =
        () -> {
          bothRunning.countDown();
          try {
            assertThat(bothRunning.await(10, TimeUnit.SECONDS)).isTrue();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        };
    ExecutorService callers = Executors.newFixedThreadPool(2);
    try {
      Future<String> a = callers.submit(() -> workerOf(watchdog, overlap));
      Future<String> b = callers.submit(() -> workerOf(watchdog, overlap));
      assertThat(Set.of(a.get(), b.get())).hasSize(2);
    } finally {
      callers.shutdown();
    }
    assertThat(watchdog.workersStarted()).isEqualTo(2);

    Thread.sleep(500); // ten times the spare workers' idle time

    assertThat(watchdog.workersAlive()).as("the spare worker ended").isEqualTo(1);
    assertThat(workerOf(watchdog, () -> {})).startsWith("script-run-");
    assertThat(watchdog.workersStarted())
        .as("the run after the quiet spell found the worker that stayed")
        .isEqualTo(2);
  }

  @Test
  void abandonedRun_isFencedOff_itsHostCallsAfterTheDeadlineAreRefused() throws Exception {
    RunWatchdog watchdog = new RunWatchdog();
    MapRunHost host = new MapRunHost();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(1);
    AtomicReference<RuntimeException> refusal = new AtomicReference<>();

    RunResult result =
        watchdog.call(
            fenced -> {
              try {
                release.await(); // stuck past the deadline, until the watchdog gives up on it
              } catch (InterruptedException e) {
                // The watchdog interrupts the run it abandons: go on, as a run that ignores it.
              }
              try {
                fenced.setProperty(
                    Optional.empty(),
                    "late",
                    new PropertyValue(PropertyType.INTEGER, IntNode.valueOf(1)));
              } catch (RuntimeException e) {
                refusal.set(e);
              } finally {
                finished.countDown();
              }
              return new RunResult.Failed("the caller no longer waits for this", Optional.empty());
            },
            host,
            Duration.ofMillis(50),
            t -> new RunResult.Failed(t.toString(), Optional.empty()));

    assertThat(result)
        .isEqualTo(
            new RunResult.Failed(
                "time limit exceeded: the run did not stop and was abandoned",
                Optional.of("SCRIPT_TIME_LIMIT_MS")));
    assertThat(watchdog.abandoned()).isEqualTo(1);
    release.countDown();
    assertThat(finished.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(refusal.get())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("abandoned");
    assertThat(host.properties).isEmpty();
  }
}
