package dev.botwebhooks.webhook;

import java.security.SecureRandom;
import java.time.Duration;

/**
 * The pause before a run is tried again after a commit conflict (README "What a hit answers"):
 * jittered, doubling from 5 ms up to 200 ms. The jitter comes from {@link SecureRandom}, as {@code
 * Math.random}'s seeds do ({@code script/RunRandom.java}): {@code ThreadLocalRandom} seeds its
 * threads from a static state that a SnapStart snapshot holds, so the environments resumed from
 * one snapshot would pause alike and retry a contended commit in step.
 */
final class Backoff {
  private static final Duration BASE = Duration.ofMillis(5);
  private static final Duration MAX = Duration.ofMillis(200);
  private static final SecureRandom JITTER = new SecureRandom();

  private Backoff() {}

  /** A random pause for the attempt that just conflicted (0 for the first). */
  static Duration after(int attempt) {
    long cap = Math.min(MAX.toMillis(), BASE.toMillis() << Math.min(attempt, 6));
    return Duration.ofMillis(JITTER.nextLong(1, cap + 1));
  }

  static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
