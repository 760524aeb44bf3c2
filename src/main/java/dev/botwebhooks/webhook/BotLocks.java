package dev.botwebhooks.webhook;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Lets the runs of one bot in this process queue for each other, so that concurrent hits of a
 * bot in the local server (or a multi-threaded host) seldom conflict at commit. Across processes
 * the commit's version checks still decide; this only saves re-runs.
 */
final class BotLocks {
  private final ConcurrentHashMap<String, Semaphore> locks = new ConcurrentHashMap<>();

  /** Waits at most {@code wait} for the bot's turn; false if it did not come. */
  boolean acquire(String botId, Duration wait) {
    Semaphore lock = locks.computeIfAbsent(botId, k -> new Semaphore(1, true));
    try {
      return lock.tryAcquire(Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  void release(String botId) {
    Semaphore lock = locks.get(botId);
    if (lock != null) {
      lock.release();
    }
  }
}
