package dev.botwebhooks.store;

import dev.botwebhooks.core.HitRecord;
import dev.botwebhooks.core.Page;
import dev.botwebhooks.core.PageRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The in-memory store's request log, per bot, used under the store's lock; entries past their
 * retention are skipped and forgotten (DynamoDB's TTL does that).
 */
final class MemoryHitLog {
  private final Map<String, NavigableMap<String, HitRecord>> hits = new HashMap<>();
  private final Clock clock;

  MemoryHitLog(Clock clock) {
    this.clock = clock;
  }

  void keep(HitRecord hit) {
    NavigableMap<String, HitRecord> log = hits.computeIfAbsent(hit.botId(), k -> new TreeMap<>());
    Instant now = clock.instant();
    log.values().removeIf(h -> !h.expiresAt().isAfter(now));
    log.put(hit.id(), hit);
  }

  Optional<HitRecord> hit(String botId, String hitId) {
    return Optional.ofNullable(hits.getOrDefault(botId, new TreeMap<>()).get(hitId))
        .filter(h -> h.expiresAt().isAfter(clock.instant()));
  }

  Page<HitRecord> hits(String botId, HitRecord.Filter filter, PageRequest page) {
    NavigableMap<String, HitRecord> selected = new TreeMap<>();
    Instant now = clock.instant();
    hits.getOrDefault(botId, new TreeMap<>())
        .forEach(
            (id, h) -> {
              if (filter.accepts(h) && h.expiresAt().isAfter(now)) {
                selected.put(id, h);
              }
            });
    return MemoryPages.page("r", selected, page, Function.identity());
  }

  void forget(String botId) {
    hits.remove(botId);
  }
}
