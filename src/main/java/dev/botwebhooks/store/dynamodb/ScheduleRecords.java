package dev.botwebhooks.store.dynamodb;

import static dev.botwebhooks.store.dynamodb.Attributes.s;
import static dev.botwebhooks.store.dynamodb.Attributes.str;
import static dev.botwebhooks.store.dynamodb.Keys.PK;
import static dev.botwebhooks.store.dynamodb.Keys.SK;
import static dev.botwebhooks.store.dynamodb.Keys.key;

import dev.botwebhooks.core.HttpCall;
import dev.botwebhooks.core.ScheduledRun;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Scheduled runs and kept outbound calls (the {@code ScheduleStore} and {@code HttpCallStore}
 * roles): each claim is one conditional delete, so only one claimer wins, sent as a transaction
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
    return due("read due runs", Keys.schedulePks(), now, limit).stream()
        .map(Items::toScheduledRun)
        .toList();
  }

  boolean claimRun(ScheduledRun run) {
    return claim("claim scheduled run", Keys.schedulePk(run), Keys.scheduleSk(run));
  }

  List<HttpCall> dueCalls(Instant now, int limit) {
    return due("read due outbound calls", Keys.callPks(), now, limit).stream()
        .map(Items::toHttpCall)
        .toList();
  }

  boolean claimHttpCall(HttpCall call) {
    return claim("claim outbound call", Keys.callPk(call), call.id());
  }

  /**
   * The items due by {@code now} in these partitions, earliest first, at most {@code limit}: sort
   * keys start with the due time, so "due by now" is a key range in each partition, everything
   * below the first key of the next millisecond; the partitions' earliest, merged.
   */
  private List<Map<String, AttributeValue>> due(
      String what, List<String> pks, Instant now, int limit) {
    String upTo = Keys.scheduleEnd(now);
    List<Map<String, AttributeValue>> due = new ArrayList<>();
    for (String pk : pks) {
      QueryResponse r =
          table.calls.read(
              what,
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
        .toList();
  }

  /** Deletes the item if it is there: true for exactly one claimer. */
  private boolean claim(String what, String pk, String sk) {
    return table.conditionalWriteOnce(what, takeOut(table.name, pk, sk));
  }

  /**
   * The delete of a kept run or call that fails unless it is still there: a claim, or the item of
   * a run's commit that takes its kept run out of the schedule ({@code CommitWrites}).
   */
  static TransactWriteItem takeOut(String tableName, String pk, String sk) {
    return TransactWriteItem.builder()
        .delete(
            Delete.builder()
                .tableName(tableName)
                .key(key(pk, sk))
                .conditionExpression("attribute_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", PK))
                .build())
        .build();
  }
}
