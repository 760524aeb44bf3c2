package dev.botwebhooks.webhook;

import dev.botwebhooks.core.HttpCall;
import dev.botwebhooks.core.HttpCallQueue;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The local stand-in for the SQS queue and its function: calls run on two background threads of
 * this process, after the run that queued them has committed, never while a hit waits.
 */
public final class InProcessCallQueue implements HttpCallQueue, AutoCloseable {
  private final ExecutorService workers =
      Executors.newFixedThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "http-calls");
            t.setDaemon(true);
            return t;
          });
  private final AtomicInteger pending = new AtomicInteger();
  private volatile Consumer<HttpCall> executor;

  /** Sets what makes a call (the deployment's executor, built after the hit service). */
  public void bind(Consumer<HttpCall> executor) {
    this.executor = Objects.requireNonNull(executor);
  }

  @Override
  public void send(List<HttpCall> calls) {
    for (HttpCall call : calls) {
      Consumer<HttpCall> target = Objects.requireNonNull(executor, "no executor bound");
      pending.incrementAndGet();
      workers.execute(
          () -> {
            try {
              target.accept(call);
            } catch (RuntimeException e) {
              System.err.println("outbound call " + call.id() + " failed: " + e.getMessage());
            } finally {
              synchronized (pending) {
                pending.decrementAndGet();
                pending.notifyAll();
              }
            }
          });
    }
  }

  /**
   * Waits until every call sent so far (and every call their callbacks queued) has run; false if
   * {@code timeout} passed first.
   */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    synchronized (pending) {
      while (pending.get() > 0) {
        long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
        if (left <= 0) {
          return false;
        }
        pending.wait(left);
      }
    }
    return true;
  }

  @Override
  public void close() {
    workers.shutdownNow();
  }
}
