package dev.botwebhooks.webhook;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The pause before a run is tried again after a commit conflict (README "What a hit answers"):
 * jittered, doubling from 5 ms up to 200 ms.
 */
final class Backoff {
  private static final Duration BASE = Duration.ofMillis(5);
  private static final Duration MAX = Duration.ofMillis(200);

  private Backoff() {}

  /** A random pause for the attempt that just conflicted (0 for the first). */
  static Duration after(int attempt) {
    long cap = Math.min(MAX.toMillis(), BASE.toMillis() << Math.min(attempt, 6));
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(1, cap + 1));
  }

  static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
