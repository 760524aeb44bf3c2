package dev.botwebhooks.store.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.core.OutboxEntry;
import dev.botwebhooks.core.Utf16;
import dev.botwebhooks.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The items a commit's outbox entries are written as: one per entry when the transaction has room,
 * else packs of entries (attribute {@code entries}) with the users they are for ({@code users}), so
 * that a listing for one user can filter packs on the server.
 */
final class OutboxPacks {
  /** An outbox pack stays well below DynamoDB's 400 KB item limit. */
  static final int MAX_PACK_BYTES = 300_000;

  static final String ENTRIES = "entries";
  static final String USERS = "users";

  private OutboxPacks() {}

  /**
   * One item per entry when they fit in {@code slots}; else entries packed into as few items as
   * their size allows, each item keyed by its newest entry.
   */
  static List<Map<String, AttributeValue>> items(List<OutboxEntry> entries, int slots) {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    if (entries.size() <= slots) {
      for (OutboxEntry e : entries) {
        Map<String, AttributeValue> item = Keys.key(partitionOf(e), e.id());
        item.putAll(Items.outboxEntry(e));
        items.add(item);
      }
      return items;
    }
    List<List<OutboxEntry>> packs = packs(entries);
    if (packs.size() > slots) {
      throw new IllegalStateException(
          "the outbox entries of this commit need "
              + packs.size()
              + " items, only "
              + slots
              + " are left in the transaction");
    }
    for (List<OutboxEntry> p : packs) {
      String newest = p.stream().map(OutboxEntry::id).max(Comparator.naturalOrder()).get();
      // All packs of a commit in one partition, so that its entries list in order.
      Map<String, AttributeValue> item = Keys.key(partitionOf(entries.get(0)), newest);
      item.put(
          ENTRIES,
          AttributeValue.fromL(
              p.stream().map(e -> AttributeValue.fromM(Items.outboxEntry(e))).toList()));
      Set<String> users = new LinkedHashSet<>();
      p.forEach(
          e -> {
            if (e.userId() != null) {
              users.add(e.userId());
            }
          });
      if (!users.isEmpty()) {
        item.put(
            USERS, AttributeValue.fromSs(users.stream().map(Utf16::wellFormed).toList()));
      }
      items.add(item);
    }
    return items;
  }

  /** Consecutive entries of one bot, as many to a pack as {@link #MAX_PACK_BYTES} allows. */
  private static List<List<OutboxEntry>> packs(List<OutboxEntry> entries) {
    List<List<OutboxEntry>> packs = new ArrayList<>();
    List<OutboxEntry> pack = new ArrayList<>();
    int bytes = 0;
    for (OutboxEntry e : entries) {
      int size = approximateSize(e);
      boolean full =
          !pack.isEmpty()
              && (bytes + size > MAX_PACK_BYTES || !pack.get(0).botId().equals(e.botId()));
      if (full) {
        packs.add(pack);
        pack = new ArrayList<>();
        bytes = 0;
      }
      pack.add(e);
      bytes += size;
    }
    packs.add(pack);
    return packs;
  }

  private static String partitionOf(OutboxEntry e) {
    return Keys.outPk(e.botId(), e.userId());
  }

  private static int approximateSize(OutboxEntry e) {
    int size = 200 + e.id().length();
    for (String text : new String[] {e.text(), e.method(), e.hookId(), e.userId()}) {
      size += text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    }
    for (JsonNode json : new JsonNode[] {e.keyboard(), e.params()}) {
      size += json == null ? 0 : Json.write(json).getBytes(StandardCharsets.UTF_8).length;
    }
    return size;
  }
}
