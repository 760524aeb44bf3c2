package dev.botwebhooks.core;

import java.time.Instant;
import java.util.Objects;

/**
 * One hit's count against {@code RATE_LIMIT_PER_MINUTE} (README "Choices where the contract left
 * room", the rate limit), added by the write that ends the hit: its commit, or the write of its
 * request-log entry. The write applies only while the client's count for the minute is below the
 * limit, and then adds one to it; otherwise nothing of it applies ({@link RateLimitedException}).
 *
 * @param clientKey the client's canonical address
 * @param minute the minute the hit arrived in, in minutes since the epoch
 * @param limit the hits a client may make in one minute
 */
public record RateCharge(String clientKey, long minute, long limit) {
  public RateCharge {
    Objects.requireNonNull(clientKey, "clientKey");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
  }

  /** The charge of a hit that arrived at {@code now}. */
  public static RateCharge of(String clientKey, Instant now, long limit) {
    return new RateCharge(clientKey, minuteOf(now), limit);
  }

  /** The minute a rate counter of {@code now} counts in. */
  public static long minuteOf(Instant now) {
    return now.getEpochSecond() / 60;
  }
}
