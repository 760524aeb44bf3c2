package dev.botwebhooks.store.dynamodb;

import dev.botwebhooks.core.Commit;
import dev.botwebhooks.core.CommitConflictException;
import dev.botwebhooks.core.Delivery;
import dev.botwebhooks.core.DuplicateDeliveryException;
import dev.botwebhooks.core.PropertyKey;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.core.RunTakenException;
import dev.botwebhooks.core.StoreUnavailableException;
import dev.botwebhooks.core.StoredProperty;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Properties and commits (the {@code PropertyStore} role): a commit is one transaction that
 * {@link CommitWrites} builds, with the hit's request-log entry riding in it when there is room.
 */
final class PropertyRecords {
  private final Table table;
  private final CommitWrites writes;
  private final LogRecords logs;

  PropertyRecords(Table table, CommitWrites writes, LogRecords logs) {
    this.table = table;
    this.writes = writes;
    this.logs = logs;
  }

  Optional<StoredProperty> property(PropertyKey key) {
    return table
        .get(Keys.propertyPk(key), Keys.propertySk(key))
        .filter(Items::hasValue)
        .map(i -> new StoredProperty(key, Items.toValue(i), Items.propertyVersion(i)));
  }

  void putProperty(PropertyKey key, PropertyValue value) {
    Update u = writes.property(key, value, null);
    table.calls.call(
        "write property",
        () ->
            table.client.updateItem(
                b ->
                    b.tableName(table.name)
                        .key(u.key())
                        .updateExpression(u.updateExpression())
                        .expressionAttributeNames(u.expressionAttributeNames())
                        .expressionAttributeValues(u.expressionAttributeValues())));
  }

  boolean deleteProperty(PropertyKey key) {
    Update u = writes.property(key, null, null);
    return table.calls.call(
        "delete property",
        () -> {
          try {
            table.client.updateItem(
                b ->
                    b.tableName(table.name)
                        .key(u.key())
                        .updateExpression(u.updateExpression())
                        .conditionExpression("attribute_exists(#val)")
                        .expressionAttributeNames(u.expressionAttributeNames())
                        .expressionAttributeValues(u.expressionAttributeValues()));
            return true;
          } catch (ConditionalCheckFailedException e) {
            return false;
          }
        });
  }

  void commit(Commit commit) {
    String token = CommitWrites.requestToken(commit.token());
    if (commit.isEmpty()) {
      commit.hit().ifPresent(hit -> logs.logCommittedHit(hit, commit.charge(), writes.tokenPut(token)));
      return;
    }
    try {
      table.transact("commit", writes.items(commit, token), token);
    } catch (TransactionCanceledException e) {
      List<CancellationReason> reasons =
          e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
      // Item 0 is the token put, whose condition fails only if this commit was applied before.
      if (!reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code())) {
        return; // applied before: an SDK retry, or the caller's, of a commit that went through
      }
      // The rate charge, if any (CommitWrites.chargeIndex): the client reached its limit.
      RateCounters.refuseIfOverLimit(e, CommitWrites.chargeIndex(commit));
      // Item 1, when there is a delivery, is its put: another copy of the delivery came first.
      if (commit.delivery().isPresent()
          && reasons.size() > 1
          && "ConditionalCheckFailed".equals(reasons.get(1).code())) {
        throw new DuplicateDeliveryException("delivery already recorded", e);
      }
      // The kept run's delete, if the commit takes one: a poll or a chain ran it first.
      Optional<Integer> takes = CommitWrites.takesIndex(commit);
      if (takes.isPresent()
          && reasons.size() > takes.get()
          && "ConditionalCheckFailed".equals(reasons.get(takes.get()).code())) {
        throw new RunTakenException("the kept run was taken before this commit", e);
      }
      for (CancellationReason r : reasons) {
        String code = r.code();
        if ("ConditionalCheckFailed".equals(code) || "TransactionConflict".equals(code)) {
          throw new CommitConflictException("a property changed since the run read it", e);
        }
      }
      throw new StoreUnavailableException("DynamoDB cancelled the commit: " + e.getMessage(), e);
    }
  }

  boolean isApplied(Commit commit) {
    return table.get(Keys.tokenPk(CommitWrites.requestToken(commit.token())), "TOKEN").isPresent();
  }

  Optional<Delivery> delivery(String hookId, String deliveryId, Instant now) {
    // TTL deletes some time after expiry: an expired record counts as absent.
    return table
        .get(Keys.deliveryPk(hookId, deliveryId), DeliveryItems.SK)
        .map(item -> DeliveryItems.toDelivery(hookId, item))
        .filter(d -> d.isLiveAt(now));
  }
}
