package dev.botwebhooks.core;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Counts the requests a store sends to its backend on behalf of one hit, every attempt and retry
 * included, on whichever thread the hit's store calls run: the hit's own thread and the worker its
 * runs execute on both make their calls {@link #during} it. A store with a backend counts each
 * request it sends into {@link #countRequest()}; a store without one sends none.
 */
public final class RequestMeter {
  private static final ThreadLocal<RequestMeter> CURRENT = new ThreadLocal<>();

  private final AtomicLong requests = new AtomicLong();

  /** Runs {@code call} with this meter counting the store requests of the calling thread. */
  public <T> T during(Supplier<T> call) {
    RequestMeter outer = CURRENT.get();
    CURRENT.set(this);
    try {
      return call.get();
    } finally {
      if (outer == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(outer);
      }
    }
  }

  public void during(Runnable call) {
    during(
        () -> {
          call.run();
          return null;
        });
  }

  /**
   * {@code task} counting its requests into the calling thread's meter (if it has one) on
   * whichever thread it runs: a store's request sent beside the hit's own.
   */
  public static <T> Supplier<T> carried(Supplier<T> task) {
    RequestMeter meter = CURRENT.get();
    return meter == null ? task : () -> meter.during(task);
  }

  /** Called by a store for each request it sends: counts it for the meter of the calling thread. */
  public static void countRequest() {
    RequestMeter meter = CURRENT.get();
    if (meter != null) {
      meter.requests.incrementAndGet();
    }
  }

  /** Requests counted so far. */
  public long requests() {
    return requests.get();
  }
}
