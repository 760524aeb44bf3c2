package dev.botwebhooks.store;

import dev.botwebhooks.core.HitRecord;
import dev.botwebhooks.core.Page;
import dev.botwebhooks.core.PageRequest;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The embedded store's request log: each bot's hits, forgotten after their retention as
 * DynamoDB's TTL forgets them. {@link MemoryStore} calls it under its own lock.
 */
final class MemoryHitLog {
  private final Map<String, NavigableMap<String, HitRecord>> byBot = new HashMap<>();

  /**
   * Every kept hit in the order kept, which is also the order they expire in (one retention per
   * deployment): pruned from the front, so keeping a hit reads no other hit than the expired ones.
   */
  private final ArrayDeque<HitRecord> order = new ArrayDeque<>();

  void keep(HitRecord hit, Instant now) {
    while (!order.isEmpty() && !order.peekFirst().expiresAt().isAfter(now)) {
      HitRecord old = order.removeFirst();
      NavigableMap<String, HitRecord> log = byBot.get(old.botId());
      if (log != null) {
        log.remove(old.id(), old);
      }
    }
    byBot.computeIfAbsent(hit.botId(), k -> new TreeMap<>()).put(hit.id(), hit);
    order.addLast(hit);
  }

  /** A hit still within its retention. */
  Optional<HitRecord> hit(String botId, String hitId, Instant now) {
    return Optional.ofNullable(byBot.getOrDefault(botId, new TreeMap<>()).get(hitId))
        .filter(h -> h.expiresAt().isAfter(now));
  }

  /** A page of a bot's hits within their retention, newest first. */
  Page<HitRecord> page(String botId, HitRecord.Filter filter, PageRequest page, Instant now) {
    NavigableMap<String, HitRecord> selected = new TreeMap<>();
    byBot
        .getOrDefault(botId, new TreeMap<>())
        .forEach(
            (id, h) -> {
              if (filter.accepts(h) && h.expiresAt().isAfter(now)) {
                selected.put(id, h);
              }
            });
    return MemoryPages.page("r", selected, page, Function.identity());
  }

  /** Forgets a deleted bot's hits. */
  void forget(String botId) {
    byBot.remove(botId);
  }
}
