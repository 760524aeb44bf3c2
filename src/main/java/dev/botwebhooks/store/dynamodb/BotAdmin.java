package dev.botwebhooks.store.dynamodb;

import static dev.botwebhooks.store.dynamodb.Attributes.s;
import static dev.botwebhooks.store.dynamodb.Attributes.str;

import dev.botwebhooks.core.Bot;
import dev.botwebhooks.core.Ids;
import dev.botwebhooks.core.InvalidCursorException;
import dev.botwebhooks.core.Page;
import dev.botwebhooks.core.PageRequest;
import dev.botwebhooks.core.StoreUnavailableException;
import dev.botwebhooks.store.NamePages;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The admin's view of bots (README "The bot API"): listing them, replacing a key's hash, and
 * deleting a bot with what it owns. Bots have no index of their own, so listing scans the table
 * for bot items; it is an operator's call, not a hit's.
 */
final class BotAdmin {
  private static final String LISTING = "bots";
  private static final int BATCH = 25;

  private final DynamoDbClient client;
  private final String table;
  private final SdkCalls calls;
  private final Pages pages;

  BotAdmin(DynamoDbClient client, String table, SdkCalls calls, Pages pages) {
    this.client = client;
    this.table = table;
    this.calls = calls;
    this.pages = pages;
  }

  /** Bots in the table's scan order; the cursor names the last bot of a page. */
  Page<Bot> bots(PageRequest request) {
    Optional<String> after = NamePages.after(LISTING, request.cursor());
    if (after.isPresent() && !Ids.isBotId(after.get())) {
      throw new InvalidCursorException(request.cursor().get(), null);
    }
    ScanRequest.Builder scan =
        ScanRequest.builder()
            .tableName(table)
            .consistentRead(true)
            .filterExpression("#sk = :bot AND attribute_exists(#n)")
            .expressionAttributeNames(Map.of("#sk", Keys.SK, "#n", "name"))
            .expressionAttributeValues(Map.of(":bot", s(Keys.BOT_SK)));
    Map<String, AttributeValue> start =
        after.map(id -> Keys.key(Keys.botPk(id), Keys.BOT_SK)).orElse(null);
    List<Bot> found = new ArrayList<>();
    // One bot past the page is read so that a cursor is handed out only when more follow.
    do {
      ScanRequest q = scan.exclusiveStartKey(start).build();
      ScanResponse r = calls.read("list bots", () -> client.scan(q));
      for (Map<String, AttributeValue> item : r.items()) {
        Items.toBot(item).ifPresent(found::add);
      }
      boolean more = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty();
      start = more ? r.lastEvaluatedKey() : null;
    } while (start != null && found.size() <= request.limit());
    if (found.size() > request.limit()) {
      List<Bot> items = found.subList(0, request.limit());
      return new Page<>(items, Optional.of(NamePages.cursor(LISTING, items.getLast().id())));
    }
    return new Page<>(found, Optional.empty());
  }

  boolean replaceApiKeyHash(String botId, String apiKeyHash) {
    return calls.call(
        "replace api key",
        () -> {
          try {
            client.updateItem(
                b ->
                    b.tableName(table)
                        .key(Keys.key(Keys.botPk(botId), Keys.BOT_SK))
                        .updateExpression("SET #h = :h")
                        .conditionExpression("attribute_exists(#n)")
                        .expressionAttributeNames(Map.of("#h", "apiKeyHash", "#n", "name"))
                        .expressionAttributeValues(Map.of(":h", s(apiKeyHash))));
            return true;
          } catch (ConditionalCheckFailedException e) {
            return false;
          }
        });
  }

  /**
   * Deletes the bot item first, so the bot, its key and its hooks stop working at once whatever
   * happens next; then its code and own properties, its hooks, outbox, error and request logs.
   */
  boolean deleteBot(String botId) {
    boolean deleted =
        calls.call(
            "delete bot",
            () -> {
              try {
                client.deleteItem(
                    b ->
                        b.tableName(table)
                            .key(Keys.key(Keys.botPk(botId), Keys.BOT_SK))
                            .conditionExpression("attribute_exists(#n)")
                            .expressionAttributeNames(Map.of("#n", "name")));
                return true;
              } catch (ConditionalCheckFailedException e) {
                return false;
              }
            });
    if (!deleted) {
      return false;
    }
    List<Map<String, AttributeValue>> doomed = new ArrayList<>(partition(Keys.botPk(botId)));
    for (String pk : Keys.hooksPks(botId)) {
      for (Map<String, AttributeValue> copy : partition(pk)) {
        doomed.add(copy);
        String sk = str(copy, Keys.SK);
        doomed.add(Keys.key(Keys.hookPk(sk.substring(sk.indexOf('#') + 1)), Keys.HOOK_SK));
      }
    }
    List<String> logs = new ArrayList<>(Keys.outPks(botId));
    logs.add(Keys.errPk(botId));
    logs.addAll(HitItems.pks(botId));
    for (String pk : logs) {
      doomed.addAll(partition(pk));
    }
    delete(doomed);
    return true;
  }

  /** The keys of every item in one partition. */
  private List<Map<String, AttributeValue>> partition(String pk) {
    return pages
        .all(
            QueryRequest.builder()
                .tableName(table)
                .consistentRead(true)
                .keyConditionExpression("#pk = :pk")
                .projectionExpression("#pk, #sk")
                .expressionAttributeNames(Map.of("#pk", Keys.PK, "#sk", Keys.SK))
                .expressionAttributeValues(Map.of(":pk", s(pk))))
        .stream()
        .map(i -> Keys.key(str(i, Keys.PK), str(i, Keys.SK)))
        .toList();
  }

  /** Deletes these keys in batches, sending again what DynamoDB left unprocessed. */
  private void delete(List<Map<String, AttributeValue>> keys) {
    for (int from = 0; from < keys.size(); from += BATCH) {
      List<WriteRequest> batch =
          keys.subList(from, Math.min(keys.size(), from + BATCH)).stream()
              .map(k -> WriteRequest.builder().deleteRequest(d -> d.key(k)).build())
              .toList();
      Map<String, List<WriteRequest>> pending = Map.of(table, batch);
      for (int round = 0; !pending.isEmpty(); round++) {
        if (round == 5) {
          throw new StoreUnavailableException("DynamoDB left deletes unprocessed 5 times", null);
        }
        Map<String, List<WriteRequest>> ask = pending;
        BatchWriteItemResponse r =
            calls.call("delete bot items", () -> client.batchWriteItem(b -> b.requestItems(ask)));
        pending = r.hasUnprocessedItems() ? r.unprocessedItems() : Map.of();
      }
    }
  }
}
