package dev.botwebhooks.script;

import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.HttpCall;
import dev.botwebhooks.core.MintRequest;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.core.RunHost;
import dev.botwebhooks.core.RunResult;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The last bound on a run's time: each run executes on a worker thread, and its caller stops
 * waiting a fixed grace period after the run's deadline. The deadline checks inside the engine
 * end every run we know of; this covers a built-in that loops in Java without ever reaching a
 * check. The JVM cannot stop that thread ({@code Thread.stop} throws since Java 20), so it is
 * abandoned: its host is fenced off so that it can change nothing, its result is dropped, and the
 * caller answers on time. A process with an abandoned run is no longer trusted with others:
 * the webhook function replaces its environment and the local server reports it (README "When
 * a run does not stop").
 */
final class RunWatchdog {
  /** How long past its deadline a run may take before its caller gives up on it. */
  static final Duration GRACE = Duration.ofMillis(1000);

  /** Stack of the worker threads; the interpreter's own depth limit stays well inside it. */
  private static final long WORKER_STACK_BYTES = 8L << 20;

  /** Runs abandoned in this process, by any runtime: each may still be running. */
  private static final AtomicInteger ABANDONED_IN_PROCESS = new AtomicInteger();

  /** How long a worker beyond the one that stays waits for a run before it ends. */
  static final Duration SPARE_WORKER_IDLE = Duration.ofSeconds(60);

  private final AtomicInteger threads = new AtomicInteger();
  private final AtomicInteger abandoned = new AtomicInteger();

  /**
   * The workers. One stays however long it waits for a run: a hit after a quiet spell
   * (most hits of a bot that is not busy, and the first after a Lambda environment sat frozen)
   * finds a thread whose stack and per-thread caches are warm instead of starting one, about a
   * third of a millisecond of such a hit (README "Performance"). More start when runs overlap,
   * or when one was abandoned, and end after {@link #SPARE_WORKER_IDLE} without a run.
   */
  private final ThreadPoolExecutor workers;

  RunWatchdog() {
    this(SPARE_WORKER_IDLE);
  }

  RunWatchdog(Duration spareWorkerIdle) {
    workers =
        new ThreadPoolExecutor(
            1,
            Integer.MAX_VALUE,
            spareWorkerIdle.toNanos(),
            TimeUnit.NANOSECONDS,
            new SynchronousQueue<>(),
            task -> {
              Thread t =
                  new Thread(
                      null, task, "script-run-" + threads.incrementAndGet(), WORKER_STACK_BYTES);
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Runs {@code run} with a fenced view of {@code host} on a worker thread, waiting at most
   * {@code untilDeadline} plus {@link #GRACE}.
   */
  RunResult call(
      Function<RunHost, RunResult> run,
      RunHost host,
      Duration untilDeadline,
      Function<Throwable, RunResult> failure) {
    FencedHost fenced = new FencedHost(host);
    Callable<RunResult> task = () -> run.apply(fenced);
    Future<RunResult> result = workers.submit(task);
    try {
      return result.get(untilDeadline.plus(GRACE).toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      fenced.close();
      result.cancel(true);
      abandoned.incrementAndGet();
      int count = ABANDONED_IN_PROCESS.incrementAndGet();
      System.err.println(
          "PROCESS UNTRUSTED: a script run did not stop at its deadline and its thread was"
              + " abandoned, still running ("
              + count
              + " so far in this process); this process should be replaced (README \"When a run"
              + " does not stop\")");
      return new RunResult.Failed(
          "time limit exceeded: the run did not stop and was abandoned",
          Optional.of(Settings.Env.SCRIPT_TIME_LIMIT_MS));
    } catch (ExecutionException e) {
      return failure.apply(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fenced.close();
      return new RunResult.Failed("interrupted while waiting for the run", Optional.empty());
    }
  }

  /** Worker threads started so far: a deterministic count for tests. */
  int workersStarted() {
    return threads.get();
  }

  /** Worker threads alive now, busy or waiting for a run. */
  int workersAlive() {
    return workers.getPoolSize();
  }

  /** Runs this watchdog abandoned so far: a deterministic count for tests and logs. */
  int abandoned() {
    return abandoned.get();
  }

  /** Runs abandoned so far in this process, by every watchdog. */
  static int abandonedInProcess() {
    return ABANDONED_IN_PROCESS.get();
  }

  /** A host that refuses every call once its run has been abandoned. */
  private static final class FencedHost implements RunHost {
    private final RunHost host;
    private volatile boolean closed;

    FencedHost(RunHost host) {
      this.host = host;
    }

    void close() {
      closed = true;
    }

    private void open() {
      if (closed) {
        throw new IllegalStateException("the run was abandoned past its time limit");
      }
    }

    @Override
    public Optional<PropertyValue> getProperty(Optional<String> userId, String name) {
      open();
      return host.getProperty(userId, name);
    }

    @Override
    public void setProperty(Optional<String> userId, String name, PropertyValue value) {
      open();
      host.setProperty(userId, name, value);
    }

    @Override
    public void deleteProperty(Optional<String> userId, String name) {
      open();
      host.deleteProperty(userId, name);
    }

    @Override
    public String mint(MintRequest request) {
      open();
      return host.mint(request);
    }

    @Override
    public void keepRun() {
      open();
      host.keepRun();
    }

    @Override
    public void queueHttpCall(HttpCall.Request request) {
      open();
      host.queueHttpCall(request);
    }
  }
}
