package dev.botwebhooks.store.dynamodb;

import static dev.botwebhooks.store.dynamodb.Keys.key;

import dev.botwebhooks.core.StoreUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The store's table and the requests every role makes on it: one consistent read by key, a batch
 * of them, a plain put, a conditional write and a transaction, each through {@link SdkCalls}.
 */
final class Table {
  final DynamoDbClient client;
  final String name;
  final SdkCalls calls;

  Table(DynamoDbClient client, String name, SdkCalls calls) {
    this.client = client;
    this.name = name;
    this.calls = calls;
  }

  /** The item at this key, read consistently; absent when there is none. */
  Optional<Map<String, AttributeValue>> get(String pk, String sk) {
    GetItemResponse r =
        calls.read(
            "read " + sk,
            () -> client.getItem(b -> b.tableName(name).key(key(pk, sk)).consistentRead(true)));
    return r.hasItem() && !r.item().isEmpty() ? Optional.of(r.item()) : Optional.empty();
  }

  /** Items by key in one BatchGetItem, asking again for keys DynamoDB left unprocessed. */
  List<Map<String, AttributeValue>> batchGet(String what, List<Map<String, AttributeValue>> keys) {
    List<Map<String, AttributeValue>> found = new ArrayList<>();
    Map<String, KeysAndAttributes> pending =
        Map.of(name, KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
    // Unprocessed keys come back only under load; ask again for them alone.
    for (int round = 0; !pending.isEmpty(); round++) {
      if (round == 5) {
        throw new StoreUnavailableException("DynamoDB left keys unprocessed 5 times", null);
      }
      Map<String, KeysAndAttributes> ask = pending;
      BatchGetItemResponse r =
          calls.read(what, () -> client.batchGetItem(b -> b.requestItems(ask)));
      found.addAll(r.responses().getOrDefault(name, List.of()));
      pending = r.hasUnprocessedKeys() ? r.unprocessedKeys() : Map.of();
    }
    return found;
  }

  /** An unconditional put. */
  void put(String what, Map<String, AttributeValue> item) {
    calls.call(what, () -> client.putItem(b -> b.tableName(name).item(item)));
  }

  /** A put of this item as one item of a transaction. */
  TransactWriteItem putItem(Map<String, AttributeValue> item) {
    return TransactWriteItem.builder()
        .put(Put.builder().tableName(name).item(item).build())
        .build();
  }

  /**
   * A write with a condition that must not be lost to a retry: one item in a transaction under a
   * request token, so that the SDK's retry of a write that applied, its answer lost, is answered
   * as applied (DynamoDB's idempotent transactions) rather than as its condition failing, which a
   * plain conditional write would report as another claimer having won. True when it applied,
   * false when its condition did not hold; any other cancellation is the store being unavailable.
   */
  boolean conditionalWriteOnce(String what, TransactWriteItem item) {
    try {
      transact(what, List.of(item), UUID.randomUUID().toString());
      return true;
    } catch (TransactionCanceledException e) {
      if (e.hasCancellationReasons()
          && "ConditionalCheckFailed".equals(e.cancellationReasons().get(0).code())) {
        return false;
      }
      throw new StoreUnavailableException("DynamoDB cancelled the write (" + what + ")", e);
    }
  }

  /** One TransactWriteItems; a cancellation passes through for the caller to interpret. */
  void transact(String what, List<TransactWriteItem> items, String token) {
    calls.transaction(
        what,
        () -> client.transactWriteItems(b -> b.transactItems(items).clientRequestToken(token)));
  }
}
