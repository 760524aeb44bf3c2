package dev.botwebhooks.store.dynamodb;

import static dev.botwebhooks.store.dynamodb.Attributes.s;
import static dev.botwebhooks.store.dynamodb.Attributes.str;

import dev.botwebhooks.core.Page;
import dev.botwebhooks.core.PageRequest;
import dev.botwebhooks.core.PropertyKey;
import dev.botwebhooks.core.StoredProperty;
import dev.botwebhooks.store.NamePages;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * A bot's or a user's properties by name, a page at a time: the {@code PROP#} items of the bot's or
 * user's partition in sort-key order, skipping the tombstones deletes leave.
 */
final class PropertyListing {
  private static final String LISTING = "props";
  private static final String PROP = "PROP#";

  private final DynamoDbClient client;
  private final String table;
  private final SdkCalls calls;

  PropertyListing(DynamoDbClient client, String table, SdkCalls calls) {
    this.client = client;
    this.table = table;
    this.calls = calls;
  }

  Page<StoredProperty> page(String botId, Optional<String> userId, PageRequest request) {
    String pk = userId.map(u -> Keys.userPk(botId, u)).orElse(Keys.botPk(botId));
    Optional<String> after = NamePages.after(LISTING, request.cursor());
    QueryRequest.Builder query =
        QueryRequest.builder()
            .tableName(table)
            .consistentRead(true)
            .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prop)")
            .expressionAttributeNames(Map.of("#pk", Keys.PK, "#sk", Keys.SK))
            .expressionAttributeValues(Map.of(":pk", s(pk), ":prop", s(PROP)))
            .limit(request.limit() + 1);
    Map<String, AttributeValue> start = after.map(name -> Keys.key(pk, PROP + name)).orElse(null);
    List<StoredProperty> found = new ArrayList<>();
    // One past the page is read so that a cursor is handed out only when more follow.
    do {
      QueryRequest q = query.exclusiveStartKey(start).build();
      QueryResponse r = calls.read("list properties", () -> client.query(q));
      for (Map<String, AttributeValue> item : r.items()) {
        if (Items.hasValue(item) && found.size() <= request.limit()) {
          String name = str(item, Keys.SK).substring(PROP.length());
          PropertyKey key = new PropertyKey(botId, userId.orElse(null), name);
          found.add(new StoredProperty(key, Items.toValue(item), Items.propertyVersion(item)));
        }
      }
      boolean more = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty();
      start = more ? r.lastEvaluatedKey() : null;
    } while (start != null && found.size() <= request.limit());
    if (found.size() > request.limit()) {
      List<StoredProperty> items = found.subList(0, request.limit());
      String last = items.getLast().key().name();
      return new Page<>(items, Optional.of(NamePages.cursor(LISTING, last)));
    }
    return new Page<>(found, Optional.empty());
  }
}
