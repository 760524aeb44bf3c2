package dev.botwebhooks.core;

import java.util.Optional;

/** The request log of a bot (README "The request log"). One role of {@link Store}. */
public interface HitLogStore {
  /**
   * Writes a hit's request-log entry that no commit carried, with the error-log entry of its failed
   * run if there is one, in one request.
   */
  default void logHit(HitRecord hit, Optional<ErrorEntry> error) {
    logHit(hit, error, Optional.empty());
  }

  /**
   * The same, adding the hit's count against the rate limit in the same request, all or nothing.
   *
   * @throws RateLimitedException nothing written: the client's count had reached the limit
   */
  void logHit(HitRecord hit, Optional<ErrorEntry> error, Optional<RateCharge> charge);

  /** A hit of this bot's request log, unless unknown or past its retention. */
  Optional<HitRecord> hit(String botId, String hitId);

  /** The bot's request log, newest first, as the filter selects. */
  Page<HitRecord> hits(String botId, HitRecord.Filter filter, PageRequest page);
}
