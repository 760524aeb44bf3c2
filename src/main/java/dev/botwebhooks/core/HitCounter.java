package dev.botwebhooks.core;

import java.time.Instant;

/**
 * The rate limit's per-client counts, one per client and minute; they expire on their own shortly
 * after their minute. A hook's hit reads its client's count when it starts and adds to it in its
 * last write ({@link RateCharge}); other hits count with {@link #countHit}. One role of {@link
 * Store}.
 */
public interface HitCounter {
  /**
   * Counts one hit for a client in the minute that {@code now} falls in, and returns the count so
   * far in that minute, this hit included.
   */
  long countHit(String clientKey, Instant now);

  /** The client's count in the minute that {@code now} falls in, counting nothing. */
  long hitsSoFar(String clientKey, Instant now);
}
