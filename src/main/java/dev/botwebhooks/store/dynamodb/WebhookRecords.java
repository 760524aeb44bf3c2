package dev.botwebhooks.store.dynamodb;

import static dev.botwebhooks.store.dynamodb.Attributes.s;
import static dev.botwebhooks.store.dynamodb.Keys.PK;
import static dev.botwebhooks.store.dynamodb.Keys.key;

import dev.botwebhooks.core.Page;
import dev.botwebhooks.core.PageRequest;
import dev.botwebhooks.core.Webhook;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Webhooks (the {@code WebhookStore} role): each one is its {@code HOOK#} item and a copy in the
 * bot's sharded hook listing.
 */
final class WebhookRecords {
  private final Table table;
  private final Pages pages;

  WebhookRecords(Table table, Pages pages) {
    this.table = table;
    this.pages = pages;
  }

  void putWebhook(Webhook hook) {
    Map<String, AttributeValue> attributes = Items.webhook(hook);
    Map<String, AttributeValue> item = key(Keys.hookPk(hook.id()), Keys.HOOK_SK);
    item.putAll(attributes);
    Map<String, AttributeValue> listing =
        key(Keys.hooksPk(hook.botId(), hook.id()), Keys.hookSk(hook));
    listing.putAll(attributes);
    // Two puts, not a transaction: half as many write units, and the only partial state (a hook
    // whose listing put failed) is a hook nobody was given the id of, since the mint failed.
    table.calls.call(
        "write webhook",
        () -> {
          try {
            return table.client.putItem(
                b ->
                    b.tableName(table.name)
                        .item(item)
                        .conditionExpression("attribute_not_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", PK)));
          } catch (ConditionalCheckFailedException e) {
            if (webhook(hook.id()).filter(hook::equals).isPresent()) {
              return null; // an SDK retry of this very write, whose first attempt went through
            }
            throw new IllegalStateException("webhook id already taken", e);
          }
        });
    table.put("list webhook", listing);
  }

  Optional<Webhook> webhook(String hookId) {
    return table.get(Keys.hookPk(hookId), Keys.HOOK_SK).map(Items::toWebhook);
  }

  boolean revokeWebhook(String botId, String hookId) {
    Optional<Webhook> hook = webhook(hookId);
    if (hook.isEmpty() || !hook.get().botId().equals(botId)) {
      return false;
    }
    try {
      table.transact(
          "revoke webhook",
          List.of(
              TransactWriteItem.builder()
                  .delete(
                      Delete.builder()
                          .tableName(table.name)
                          .key(key(Keys.hookPk(hookId), Keys.HOOK_SK))
                          .conditionExpression("#b = :b")
                          .expressionAttributeNames(Map.of("#b", "botId"))
                          .expressionAttributeValues(Map.of(":b", s(botId)))
                          .build())
                  .build(),
              TransactWriteItem.builder()
                  .delete(
                      Delete.builder()
                          .tableName(table.name)
                          .key(key(Keys.hooksPk(botId, hookId), Keys.hookSk(hook.get())))
                          .build())
                  .build()),
          UUID.randomUUID().toString());
      return true;
    } catch (TransactionCanceledException e) {
      return false;
    }
  }

  Page<Webhook> webhooks(String botId, PageRequest page) {
    return pages.page("h", Keys.hooksPks(botId), page, Items::toWebhook);
  }
}
