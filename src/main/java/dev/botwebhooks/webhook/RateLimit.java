package dev.botwebhooks.webhook;

import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.HitCounter;
import dev.botwebhooks.core.RateCharge;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The rate limit of webhook hits (README "Choices where the contract left room"): a client may make
 * {@code RATE_LIMIT_PER_MINUTE} hits a minute. A hook's hit reads its client's count when it
 * starts, is refused if the count already reached the limit, and adds to it in its last write
 * ({@link RateCharge}), which is refused, whole, if the count reached the limit meanwhile. A hit
 * answered without writing (an unknown hook) counts with a request of its own.
 */
final class RateLimit {
  private final HitCounter counter;
  private final long limit;

  RateLimit(HitCounter counter, long limit) {
    this.counter = counter;
    this.limit = limit;
  }

  /** Whether a hit is refused at its start, its client having made this many hits this minute. */
  boolean refuses(long hitsSoFar) {
    return hitsSoFar >= limit;
  }

  /** The charge of a hit from {@code client} (none for an allowlisted client) that came at now. */
  Optional<RateCharge> charge(Optional<String> client, Instant now) {
    return client.map(c -> RateCharge.of(c, now, limit));
  }

  /** An answer that writes nothing, counted on its own: {@code report}, or a refusal. */
  HitReport counted(Optional<String> client, Instant now, HitReport report) {
    if (client.isPresent() && counter.countHit(client.get(), now) > limit) {
      return refused(now);
    }
    return report;
  }

  /** The refusal of a hit at {@code now}: come back when this minute is over. */
  static HitReport refused(Instant now) {
    long secondsLeft = 60 - (now.getEpochSecond() % 60);
    return HitReport.of(
        new HitOutcome.RateLimited(Duration.ofSeconds(Math.max(1, secondsLeft))),
        Optional.of(Settings.Env.RATE_LIMIT_PER_MINUTE));
  }
}
