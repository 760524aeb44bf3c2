package dev.botwebhooks.webhook;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Lets the runs of one bot for one user in this process queue for each other, so that concurrent
 * hits of the same user's hooks in the local server (or a multi-threaded host) seldom conflict at
 * commit, while runs for different users, which mostly touch different properties, go side by
 * side. Across users and processes the commit's version checks still decide; this only saves
 * re-runs. A turn is forgotten once nobody holds or waits for it.
 */
final class BotLocks {
  /** One queue, and how many runs hold or wait for it. */
  private static final class Turn {
    final Semaphore semaphore = new Semaphore(1, true);
    int users;
  }

  private final ConcurrentHashMap<String, Turn> turns = new ConcurrentHashMap<>();

  /** Waits at most {@code wait} for the turn of {@code key}; false if it did not come. */
  boolean acquire(String key, Duration wait) {
    Turn turn =
        turns.compute(
            key,
            (k, t) -> {
              Turn joined = t == null ? new Turn() : t;
              joined.users++;
              return joined;
            });
    boolean got = false;
    try {
      got = turn.semaphore.tryAcquire(Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!got) {
      leave(key);
    }
    return got;
  }

  void release(String key) {
    Turn turn = turns.get(key);
    if (turn != null) {
      turn.semaphore.release();
      leave(key);
    }
  }

  private void leave(String key) {
    turns.computeIfPresent(key, (k, t) -> --t.users == 0 ? null : t);
  }
}
