package dev.botwebhooks.store.dynamodb;

import static dev.botwebhooks.store.dynamodb.Attributes.n;
import static dev.botwebhooks.store.dynamodb.Attributes.s;
import static dev.botwebhooks.store.dynamodb.Attributes.str;
import static dev.botwebhooks.store.dynamodb.Keys.PK;
import static dev.botwebhooks.store.dynamodb.Keys.SK;
import static dev.botwebhooks.store.dynamodb.Keys.key;

import dev.botwebhooks.core.HttpCallStore;
import dev.botwebhooks.core.ScheduledRun;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Scheduled runs and outbound-call claims (the {@code ScheduleStore} and {@code HttpCallStore}
 * roles): each claim is one conditional write, so only one claimer wins, sent as a transaction
 * under a request token, so that a retry of a claim whose answer was lost does not lose it.
 */
final class ScheduleRecords {
  private final Table table;

  ScheduleRecords(Table table) {
    this.table = table;
  }

  void scheduleRun(ScheduledRun run) {
    table.put("schedule run", Items.scheduledRun(run));
  }

  List<ScheduledRun> dueRuns(Instant now, int limit) {
    // Sort keys start with the due time, so "due by now" is a key range in each shard: everything
    // below the first key of the next millisecond. The shards' earliest, merged, earliest first.
    String upTo = Keys.scheduleEnd(now);
    List<Map<String, AttributeValue>> due = new ArrayList<>();
    for (String pk : Keys.schedulePks()) {
      QueryResponse r =
          table.calls.read(
              "read due runs",
              () ->
                  table.client.query(
                      b ->
                          b.tableName(table.name)
                              .keyConditionExpression("#pk = :pk AND #sk < :upTo")
                              .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                              .expressionAttributeValues(Map.of(":pk", s(pk), ":upTo", s(upTo)))
                              .consistentRead(true)
                              .limit(limit)));
      due.addAll(r.items());
    }
    return due.stream()
        .sorted(Comparator.comparing((Map<String, AttributeValue> i) -> str(i, SK)))
        .limit(limit)
        .map(Items::toScheduledRun)
        .toList();
  }

  boolean claimRun(ScheduledRun run) {
    return table.conditionalWriteOnce(
        "claim scheduled run",
        TransactWriteItem.builder()
            .delete(
                Delete.builder()
                    .tableName(table.name)
                    .key(key(Keys.schedulePk(run), Keys.scheduleSk(run)))
                    .conditionExpression("attribute_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", PK))
                    .build())
            .build());
  }

  boolean claimHttpCall(String callId, Instant now) {
    Map<String, AttributeValue> item = key(Keys.callPk(callId), Keys.CLAIM_SK);
    Duration kept = Duration.ofDays(HttpCallStore.CLAIM_RETENTION_DAYS);
    item.put(Keys.TTL, n(now.plus(kept).getEpochSecond()));
    return table.conditionalWriteOnce(
        "claim outbound call",
        TransactWriteItem.builder()
            .put(
                Put.builder()
                    .tableName(table.name)
                    .item(item)
                    .conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", PK))
                    .build())
            .build());
  }
}
