package dev.botwebhooks.core;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * A value computed on a thread of its own (a daemon) from its start on, for a function's init to
 * overlap two pieces of work, or a store to send two requests at once (README "Performance");
 * {@link #join} waits for it.
 */
public final class BackgroundTask<T> {
  private final FutureTask<T> task;

  private BackgroundTask(FutureTask<T> task) {
    this.task = task;
  }

  /** Starts {@code work} on a new thread named {@code threadName}. */
  public static <T> BackgroundTask<T> start(String threadName, Callable<T> work) {
    FutureTask<T> task = new FutureTask<>(work);
    Thread thread = new Thread(task, threadName);
    thread.setDaemon(true);
    thread.start();
    return new BackgroundTask<>(task);
  }

  /** The value, once computed; what computing it threw is thrown here. */
  public T join() {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return task.get();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("a background task failed", e.getCause());
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
