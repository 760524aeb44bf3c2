package dev.botwebhooks.store.dynamodb;

import dev.botwebhooks.core.Digest;
import dev.botwebhooks.core.PropertyKey;
import dev.botwebhooks.core.ScheduledRun;
import dev.botwebhooks.core.Webhook;
import java.time.Instant;
import java.util.HashMap;
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

  /** The one partition of scheduled runs, sorted by due time. */
  static final String SCHEDULE_PK = "SCHEDULE";

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

  static final String USER = "USER#";

  static String userSk(String userId) {
    return USER + userId;
  }

  static String propertySk(PropertyKey key) {
    return key.userId() == null ? "PROP#" + key.name() : "UPROP#" + key.userId() + "#" + key.name();
  }

  static String hookPk(String hookId) {
    return "HOOK#" + hookId;
  }

  static String hooksPk(String botId) {
    return "BOT#" + botId + "#HOOKS";
  }

  static String hookSk(Webhook hook) {
    return timeSk(hook.createdAt(), hook.id());
  }

  static String outPk(String botId) {
    return "BOT#" + botId + "#OUT";
  }

  static String errPk(String botId) {
    return "BOT#" + botId + "#ERR";
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

  /** The claim of a queued outbound call (README "Outbound HTTP calls"). */
  static String callPk(String callId) {
    return "CALL#" + callId;
  }

  static final String CLAIM_SK = "CLAIM";

  static String tokenPk(String token) {
    return "TOKEN#" + token;
  }

  /** Delivery ids are the caller's text: hashed, so that any id makes a short, plain key. */
  static String deliveryPk(String hookId, String deliveryId) {
    return "DELIVERY#" + hookId + "#" + Digest.sha256(deliveryId);
  }

  /** Millisecond time first, so that sort keys sort by time. */
  private static String timeSk(Instant at, String id) {
    return String.format("%013d#%s", at.toEpochMilli(), id);
  }
}
