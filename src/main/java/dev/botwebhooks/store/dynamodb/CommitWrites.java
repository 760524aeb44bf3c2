package dev.botwebhooks.store.dynamodb;

import static dev.botwebhooks.store.dynamodb.Attributes.n;
import static dev.botwebhooks.store.dynamodb.Attributes.s;

import dev.botwebhooks.core.Commit;
import dev.botwebhooks.core.Digest;
import dev.botwebhooks.core.HttpCall;
import dev.botwebhooks.core.PropertyKey;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.core.ScheduledRun;
import dev.botwebhooks.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The writes of properties: the versioned update of one property, and the TransactWriteItems of a
 * commit (token put, version checks, property updates, outbox items).
 */
final class CommitWrites {
  /** DynamoDB's limit on the items of one transaction. */
  static final int MAX_TRANSACTION_ITEMS = 100;


  private static final Duration TOKEN_LIFETIME = Duration.ofDays(1);
  private static final Duration TOMBSTONE_LIFETIME = Duration.ofDays(30);
  private static final Pattern PLAIN_TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,36}");

  /** How many tokens' first sends are remembered: far more than the commits that can be resent. */
  private static final int REMEMBERED_TOKENS = 4096;

  private final String table;
  private final Clock clock;

  /**
   * When each recent token was first sent. A commit sent again (its answer lost) must be the same
   * request under the same token, which DynamoDB otherwise refuses as a mismatch: the times its
   * items carry (the token's and tombstones' expiry) are taken from its first send.
   */
  private final Map<String, Instant> firstSent =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
          return size() > REMEMBERED_TOKENS;
        }
      };

  CommitWrites(String table, Clock clock) {
    this.table = table;
    this.clock = clock;
  }

  /** The time of the first send of the commit under this request token. */
  synchronized Instant sentAt(String token) {
    return firstSent.computeIfAbsent(token, t -> clock.instant());
  }

  /**
   * The put of a commit's token, whose condition fails only if the commit was applied before:
   * how a commit sent again, or asked about ({@code isApplied}), is known to have applied.
   */
  TransactWriteItem tokenPut(String token) {
    return TransactWriteItem.builder()
        .put(
            Put.builder()
                .tableName(table)
                .item(
                    Map.of(
                        Keys.PK, s(Keys.tokenPk(token)),
                        Keys.SK, s("TOKEN"),
                        Keys.TTL, n(sentAt(token).plus(TOKEN_LIFETIME).getEpochSecond())))
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", Keys.PK))
                .build())
        .build();
  }

  /**
   * The transaction items of a non-empty commit under this request token. Index 0 is the token put,
   * whose condition fails only if this commit was applied before; index 1, when the commit records
   * a delivery, is the delivery put, whose condition fails if another copy recorded it first; the
   * next, when the commit carries a rate charge, is the charge ({@link #chargeIndex}), whose
   * condition fails if the client reached the limit; the next, when the commit is the run of a
   * kept run, is that run's delete ({@link #takesIndex}), whose condition fails if another took it
   * first. The runs it schedules and the calls it keeps follow its properties, one put each. The
   * commit's hit, when it has one, is the last item: {@link Commit#MAX_PROPERTIES} leaves room for
   * it and for at least one outbox item, so a commit is one transaction, its request-log entry
   * included.
   */
  List<TransactWriteItem> items(Commit commit, String token) {
    Map<PropertyKey, Commit.PropertyWrite> writes = new LinkedHashMap<>();
    commit.writes().forEach(w -> writes.put(w.key(), w));
    Map<PropertyKey, Long> reads = new LinkedHashMap<>();
    for (Commit.PropertyRead r : commit.reads()) {
      if (!writes.containsKey(r.key())) {
        reads.put(r.key(), r.expectedVersion());
      }
    }
    // One item for the token, one for a delivery and at least one for the outbox leave the rest
    // for properties, scheduled runs and outbound calls.
    int touched = reads.size() + writes.size() + commit.keptItems();
    if (touched > Commit.MAX_PROPERTIES) {
      throw new IllegalStateException(
          "a commit can check and write at most "
              + Commit.MAX_PROPERTIES
              + " properties, scheduled runs and outbound calls, this one has "
              + touched);
    }
    List<TransactWriteItem> items = new ArrayList<>();
    items.add(tokenPut(token));
    commit.delivery().ifPresent(d -> items.add(DeliveryItems.put(table, d)));
    commit.charge().ifPresent(c -> items.add(RateCounters.charge(table, c)));
    commit
        .takes()
        .ifPresent(
            run ->
                items.add(
                    ScheduleRecords.takeOut(table, Keys.schedulePk(run), Keys.scheduleSk(run))));
    reads.forEach(
        (key, expected) -> {
          Map<String, AttributeValue> values = new HashMap<>();
          String condition = versionCondition(expected, values);
          items.add(
              TransactWriteItem.builder()
                  .conditionCheck(
                      ConditionCheck.builder()
                          .tableName(table)
                          .key(propertyKey(key))
                          .conditionExpression(condition)
                          .expressionAttributeNames(Map.of("#ver", Keys.VER, "#del", Keys.DELETED))
                          .expressionAttributeValues(values)
                          .build())
                  .build());
        });
    Instant at = sentAt(token);
    for (Commit.PropertyWrite w : writes.values()) {
      items.add(
          TransactWriteItem.builder()
              .update(property(w.key(), w.value(), w.expectedVersion(), at))
              .build());
    }
    for (ScheduledRun run : commit.runs()) {
      items.add(put(Items.scheduledRun(run)));
    }
    for (HttpCall call : commit.calls()) {
      items.add(put(Items.httpCall(call)));
    }
    int slots = MAX_TRANSACTION_ITEMS - items.size() - (commit.hit().isPresent() ? 1 : 0);
    for (Map<String, AttributeValue> item : OutboxPacks.items(commit.outbox(), slots)) {
      items.add(put(item));
    }
    commit.hit().ifPresent(hit -> items.add(put(HitItems.item(hit))));
    return items;
  }

  private TransactWriteItem put(Map<String, AttributeValue> item) {
    return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item).build()).build();
  }

  /** The index of the commit's rate charge among its transaction items, if it has one. */
  static Optional<Integer> chargeIndex(Commit commit) {
    return commit.charge().map(c -> commit.delivery().isPresent() ? 2 : 1);
  }

  /** The index of the delete of the kept run the commit takes, if it takes one. */
  static Optional<Integer> takesIndex(Commit commit) {
    int before =
        1 + (commit.delivery().isPresent() ? 1 : 0) + (commit.charge().isPresent() ? 1 : 0);
    return commit.takes().map(r -> before);
  }

  /**
   * An update that writes (or, for a null value, tombstones) a property and adds one to its
   * version, if {@code expected} holds (null: unconditionally). Its expression names the value
   * {@code #val}.
   */
  Update property(PropertyKey key, PropertyValue value, Long expected) {
    return property(key, value, expected, clock.instant());
  }

  private Update property(PropertyKey key, PropertyValue value, Long expected, Instant at) {
    Map<String, String> names = new HashMap<>();
    names.put("#ver", Keys.VER);
    names.put("#type", Keys.PTYPE);
    names.put("#val", Keys.PVAL);
    names.put("#del", Keys.DELETED);
    names.put("#ttl", Keys.TTL);
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":one", n(1));
    String expression;
    if (value != null) {
      values.put(":type", s(value.type().wireName()));
      values.put(":val", s(Json.write(value.value())));
      expression = "SET #type = :type, #val = :val REMOVE #del, #ttl ADD #ver :one";
    } else {
      values.put(":true", AttributeValue.fromBool(true));
      values.put(":ttl", n(at.plus(TOMBSTONE_LIFETIME).getEpochSecond()));
      expression = "SET #del = :true, #ttl = :ttl REMOVE #type, #val ADD #ver :one";
    }
    Update.Builder u =
        Update.builder().tableName(table).key(propertyKey(key)).updateExpression(expression);
    if (expected != null) {
      u.conditionExpression(versionCondition(expected, values));
    }
    return u.expressionAttributeNames(names).expressionAttributeValues(values).build();
  }

  static Map<String, AttributeValue> propertyKey(PropertyKey key) {
    return Keys.key(Keys.propertyPk(key), Keys.propertySk(key));
  }

  /** Version 0 means absent: no item yet, or a tombstone (whose version is never 0). */
  private static String versionCondition(long expected, Map<String, AttributeValue> values) {
    if (expected == 0) {
      values.put(":true", AttributeValue.fromBool(true));
      return "attribute_not_exists(#ver) OR #del = :true";
    }
    values.put(":expected", n(expected));
    return "#ver = :expected AND attribute_not_exists(#del)";
  }

  /** DynamoDB takes tokens of at most 36 characters; longer or unusual ones are hashed. */
  static String requestToken(String token) {
    return PLAIN_TOKEN.matcher(token).matches() ? token : Digest.sha256(token).substring(0, 36);
  }
}
