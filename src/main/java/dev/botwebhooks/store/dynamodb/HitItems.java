package dev.botwebhooks.store.dynamodb;

import static dev.botwebhooks.store.dynamodb.Attributes.instant;
import static dev.botwebhooks.store.dynamodb.Attributes.json;
import static dev.botwebhooks.store.dynamodb.Attributes.n;
import static dev.botwebhooks.store.dynamodb.Attributes.num;
import static dev.botwebhooks.store.dynamodb.Attributes.s;
import static dev.botwebhooks.store.dynamodb.Attributes.str;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.core.HitRecord;
import dev.botwebhooks.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The request log's items: one per hit in one of the bot's {@code BOT#<id>#HITS#<shard>}
 * partitions (the shard from the hit id), keyed by the time-ordered hit id, with the hook and status as attributes a listing filters on, the detail as
 * JSON text, and {@code ttl} at the end of the retention period.
 */
final class HitItems {
  private static final String HOOK = "hookId";
  private static final String STATUS = "status";

  private HitItems() {}

  /** The request-log partition of a hit: sharded by hit id, as every hit of a bot writes one. */
  static String pk(String botId, String hitId) {
    return Keys.botPk(botId) + "#HITS#" + Keys.shardOf(hitId);
  }

  /** Every request-log partition of a bot, for a listing merged across them. */
  static List<String> pks(String botId) {
    List<String> pks = new ArrayList<>(Keys.SHARDS);
    for (int i = 0; i < Keys.SHARDS; i++) {
      pks.add(Keys.botPk(botId) + "#HITS#" + i);
    }
    return pks;
  }

  static Map<String, AttributeValue> item(HitRecord hit) {
    Map<String, AttributeValue> item = Keys.key(pk(hit.botId(), hit.id()), hit.id());
    item.put("botId", s(hit.botId()));
    item.put(HOOK, s(hit.hookId()));
    item.put(STATUS, n(hit.status()));
    item.put("receivedAt", s(hit.receivedAt().toString()));
    item.put("expiresAt", s(hit.expiresAt().toString()));
    item.put(Keys.TTL, n(hit.expiresAt().getEpochSecond()));
    item.put("detail", s(Json.write(hit.detail())));
    return item;
  }

  static HitRecord toHit(Map<String, AttributeValue> item) {
    return new HitRecord(
        str(item, Keys.SK),
        str(item, "botId"),
        str(item, HOOK),
        (int) num(item, STATUS),
        instant(item, "receivedAt"),
        instant(item, "expiresAt"),
        (ObjectNode) json(item, "detail"));
  }

  /** DynamoDB deletes expired items some time after their TTL; until then reads skip them. */
  static boolean live(HitRecord hit, Instant now) {
    return hit.expiresAt().isAfter(now);
  }

  /** The filter expression of a listing by hook and/or status, if it has one. */
  static Optional<Pages.Filter> filter(HitRecord.Filter filter) {
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> values = new HashMap<>();
    StringBuilder expression = new StringBuilder();
    if (filter.hookId().isPresent()) {
      names.put("#hook", HOOK);
      values.put(":hook", s(filter.hookId().get()));
      expression.append("#hook = :hook");
    }
    if (filter.status().isPresent()) {
      names.put("#status", STATUS);
      values.put(":status", n(filter.status().get()));
      expression.append(expression.isEmpty() ? "" : " AND ").append("#status = :status");
    }
    if (expression.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Pages.Filter(expression.toString(), names, values));
  }
}
