package dev.botwebhooks.store;

import dev.botwebhooks.core.RateCharge;
import dev.botwebhooks.core.RateLimitedException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The in-memory store's rate counters, per minute and client, used under the store's lock: a
 * charge is checked before a commit applies anything and added after, as DynamoDB's conditional
 * update in the commit's transaction does. Minutes before the last are dropped.
 */
final class MemoryRateCounts {
  private final NavigableMap<Long, Map<String, Long>> byMinute = new TreeMap<>();

  long count(String clientKey, Instant now) {
    return add(clientKey, RateCharge.minuteOf(now));
  }

  long hitsSoFar(String clientKey, Instant now) {
    return byMinute.getOrDefault(RateCharge.minuteOf(now), Map.of()).getOrDefault(clientKey, 0L);
  }

  /** @throws RateLimitedException the client's count reached the charge's limit */
  void check(RateCharge charge) {
    long hits =
        byMinute.getOrDefault(charge.minute(), Map.of()).getOrDefault(charge.clientKey(), 0L);
    if (hits >= charge.limit()) {
      throw new RateLimitedException("the client reached the rate limit during the hit", null);
    }
  }

  void add(RateCharge charge) {
    add(charge.clientKey(), charge.minute());
  }

  private long add(String clientKey, long minute) {
    // Counters of minutes before the last are never read again.
    byMinute.headMap(minute - 1).clear();
    return byMinute.computeIfAbsent(minute, m -> new HashMap<>()).merge(clientKey, 1L, Long::sum);
  }
}
