package dev.botwebhooks.store.dynamodb;

import dev.botwebhooks.core.Digest;
import dev.botwebhooks.core.HttpCall;
import dev.botwebhooks.core.PropertyKey;
import dev.botwebhooks.core.ScheduledRun;
import dev.botwebhooks.core.Webhook;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The table's key layout and the attribute names the store's expressions use, written once; the
 * layout itself is described in {@code package-info.java}.
 */
final class Keys {
  static final String PK = "pk";
  static final String SK = "sk";
  static final String TTL = "ttl";
  static final String VER = "ver";
  static final String PTYPE = "ptype";
  static final String PVAL = "pval";
  static final String DELETED = "deleted";

  /** The sort key of a bot's own item, which sorts before its {@code CMD#} and {@code LIB#}. */
  static final String BOT_SK = "BOT";

  /** Above every {@code LIB#} sort key: {@code BOT_SK..CODE_END} is a bot's code. */
  static final String CODE_END = "LIB$";

  static final String CMD = "CMD#";
  static final String LIB = "LIB#";
  static final String HOOK_SK = "HOOK";

  /**
   * Listings that every hit of a busy bot (or of the deployment) could write to are spread over
   * this many partitions, each holding an even share, and read back merged (README "Performance",
   * keys that spread).
   */
  static final int SHARDS = 16;

  /**
   * The schedule takes the whole deployment's runs, each written twice (kept by a commit, taken
   * out by its run's commit), and the kept outbound calls take every call twice the same way
   * (kept, claimed), so they are spread further: 1,000 runs/s make about 63 writes/s on each
   * (README "Performance", keys that spread).
   */
  static final int SCHEDULE_SHARDS = 32;

  private Keys() {}

  static Map<String, AttributeValue> key(String pk, String sk) {
    Map<String, AttributeValue> key = new HashMap<>();
    key.put(PK, Attributes.s(pk));
    key.put(SK, Attributes.s(sk));
    return key;
  }

  static String botPk(String botId) {
    return "BOT#" + botId;
  }

  /** The bot id of an item in a bot's partition. */
  static String botId(String botPk) {
    return botPk.substring("BOT#".length());
  }

  /** A user and their properties: one partition per user, so a bot's users never share one. */
  static String userPk(String botId, String userId) {
    return "BOT#" + botId + "#U#" + userId;
  }

  /** The sort key of a user's own item in their partition. */
  static final String USER_SK = "USER";

  /** A bot's own properties in the bot's partition, a user's in the user's. */
  static String propertyPk(PropertyKey key) {
    return key.userId() == null ? botPk(key.botId()) : userPk(key.botId(), key.userId());
  }

  static String propertySk(PropertyKey key) {
    return "PROP#" + key.name();
  }

  static String hookPk(String hookId) {
    return "HOOK#" + hookId;
  }

  /** The listing partition a hook's copy is kept in. */
  static String hooksPk(String botId, String hookId) {
    return "BOT#" + botId + "#HOOKS#" + shardOf(hookId);
  }

  static List<String> hooksPks(String botId) {
    return shards("BOT#" + botId + "#HOOKS#");
  }

  static String hookSk(Webhook hook) {
    return timeSk(hook.createdAt(), hook.id());
  }

  /** The outbox partition of a user's entries ({@code null}: the bot's own, global ones). */
  static String outPk(String botId, String userId) {
    return "BOT#" + botId + "#OUT#" + shardOf(userId == null ? "" : userId);
  }

  static List<String> outPks(String botId) {
    return shards("BOT#" + botId + "#OUT#");
  }

  static String errPk(String botId) {
    return "BOT#" + botId + "#ERR";
  }

  /** The schedule partition a run is kept in, by its id; each is sorted by due time. */
  static String schedulePk(ScheduledRun run) {
    return "SCHEDULE#" + shardOf(run.id(), SCHEDULE_SHARDS);
  }

  static List<String> schedulePks() {
    return shards("SCHEDULE#", SCHEDULE_SHARDS);
  }

  static String scheduleSk(ScheduledRun run) {
    return timeSk(run.dueAt(), run.id());
  }

  /** The first sort key of the schedule after every run due by {@code now}. */
  static String scheduleEnd(Instant now) {
    return String.format("%013d", now.toEpochMilli() + 1);
  }

  static String ratePk(String clientKey, long minute) {
    return "RATE#" + clientKey + "#" + minute;
  }

  /**
   * The partition an outbound call is kept in until claimed, by its id, sharded as the schedule
   * is; its sort key is its id, which starts with its due time (README "Outbound HTTP calls").
   */
  static String callPk(HttpCall call) {
    return "CALLS#" + shardOf(call.id(), SCHEDULE_SHARDS);
  }

  static List<String> callPks() {
    return shards("CALLS#", SCHEDULE_SHARDS);
  }

  static String tokenPk(String token) {
    return "TOKEN#" + token;
  }

  /** Delivery ids are the caller's text: hashed, so that any id makes a short, plain key. */
  static String deliveryPk(String hookId, String deliveryId) {
    return "DELIVERY#" + hookId + "#" + Digest.sha256(deliveryId);
  }

  /** A stable shard of {@code text}: String.hashCode is fixed by the language. */
  static int shardOf(String text) {
    return shardOf(text, SHARDS);
  }

  private static int shardOf(String text, int count) {
    return Math.floorMod(text.hashCode(), count);
  }

  private static List<String> shards(String prefix) {
    return shards(prefix, SHARDS);
  }

  private static List<String> shards(String prefix, int count) {
    List<String> pks = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      pks.add(prefix + i);
    }
    return pks;
  }

  /** Millisecond time first, so that sort keys sort by time. */
  private static String timeSk(Instant at, String id) {
    return String.format("%013d#%s", at.toEpochMilli(), id);
  }
}
