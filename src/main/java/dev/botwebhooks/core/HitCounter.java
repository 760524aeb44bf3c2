package dev.botwebhooks.core;

import java.time.Instant;

/** The rate limit's per-client counts. One role of {@link Store}. */
public interface HitCounter {
  /**
   * Counts one hit for a client in the minute that {@code now} falls in, and returns the count so
   * far in that minute. Counters expire on their own shortly after their minute.
   */
  long countHit(String clientKey, Instant now);
}
