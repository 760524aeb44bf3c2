package dev.botwebhooks.store.dynamodb;

import static dev.botwebhooks.store.dynamodb.Attributes.n;
import static dev.botwebhooks.store.dynamodb.Attributes.num;

import dev.botwebhooks.core.RateCharge;
import dev.botwebhooks.core.RateLimitedException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The rate counters (the {@code HitCounter} role): one item per client and minute holding {@code
 * hits}, expiring a minute after its own. A hook's hit reads its item with its other first reads
 * and adds to it in its last transaction, on condition that it is below the limit ({@link
 * RateCharge}); other hits add to it with an UpdateItem of their own.
 */
final class RateCounters {
  static final String SK = "RATE";
  private static final String HITS = "hits";

  private final Table table;

  RateCounters(Table table) {
    this.table = table;
  }

  static Map<String, AttributeValue> key(String clientKey, long minute) {
    return Keys.key(Keys.ratePk(clientKey, minute), SK);
  }

  /** Whether this item, read in a batch with others, is a rate counter. */
  static boolean isCounter(Map<String, AttributeValue> item) {
    return SK.equals(Attributes.str(item, Keys.SK));
  }

  /** The count of a counter item. */
  static long hits(Map<String, AttributeValue> item) {
    return num(item, HITS);
  }

  long countHit(String clientKey, Instant now) {
    long minute = RateCharge.minuteOf(now);
    UpdateItemResponse r =
        table.calls.call(
            "count hit",
            () ->
                table.client.updateItem(
                    b ->
                        b.tableName(table.name)
                            .key(key(clientKey, minute))
                            .updateExpression("ADD #hits :one SET #ttl = :ttl")
                            .expressionAttributeNames(names())
                            .expressionAttributeValues(
                                Map.of(":one", n(1), ":ttl", ttl(minute)))
                            .returnValues(ReturnValue.UPDATED_NEW)));
    return num(r.attributes(), HITS);
  }

  long hitsSoFar(String clientKey, Instant now) {
    return table.get(Keys.ratePk(clientKey, RateCharge.minuteOf(now)), SK).map(RateCounters::hits)
        .orElse(0L);
  }

  /** The transaction item that adds a hit's charge, on condition that it is below the limit. */
  static TransactWriteItem charge(String tableName, RateCharge c) {
    return TransactWriteItem.builder()
        .update(
            Update.builder()
                .tableName(tableName)
                .key(key(c.clientKey(), c.minute()))
                .updateExpression("ADD #hits :one SET #ttl = :ttl")
                .conditionExpression("attribute_not_exists(#hits) OR #hits < :limit")
                .expressionAttributeNames(names())
                .expressionAttributeValues(
                    Map.of(":one", n(1), ":ttl", ttl(c.minute()), ":limit", n(c.limit())))
                .build())
        .build();
  }

  /**
   * Throws {@link RateLimitedException} when the charge at {@code index} of a cancelled
   * transaction is what failed its condition.
   */
  static void refuseIfOverLimit(TransactionCanceledException e, Optional<Integer> index) {
    if (index.isEmpty()) {
      return;
    }
    List<CancellationReason> reasons =
        e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
    if (reasons.size() > index.get()
        && "ConditionalCheckFailed".equals(reasons.get(index.get()).code())) {
      throw new RateLimitedException("the client reached the rate limit during the hit", e);
    }
  }

  private static Map<String, String> names() {
    return Map.of("#hits", HITS, "#ttl", Keys.TTL);
  }

  private static AttributeValue ttl(long minute) {
    return n((minute + 2) * 60);
  }
}
