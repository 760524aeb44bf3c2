package dev.botwebhooks.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.core.Commit;
import dev.botwebhooks.core.HitRecord;
import dev.botwebhooks.core.PropertyKey;
import dev.botwebhooks.core.PropertyType;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.store.HitLogContract;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The request-log contract on DynamoDB, plus what only DynamoDB has: a hit rides in its commit's
 * one transaction, and carries a TTL.
 */
@ExtendWith(DynamoDbTestServer.class)
class DynamoHitLogTest extends HitLogContract {
  private final RequestCounter requests = new RequestCounter();
  private String table;

  @Override
  protected Store newStore() {
    table = DynamoDbTestServer.freshTableName("hit-log");
    return DynamoDbTestServer.newStore(table, requests);
  }

  @Test
  void commitWithHit_isOneTransaction_andTheHitHasItsTtl() {
    Instant expires = Instant.now().plus(Duration.ofDays(3));
    ObjectNode detail = Json.object().put("method", "GET");
    HitRecord hit =
        new HitRecord(
            ids.timeOrderedId(Instant.now()), botId, "hookCCCCCCCCCCCCCCCCCC", 200, Instant.now(),
            expires, detail);
    Commit commit =
        new Commit(
                botId,
                List.of(),
                List.of(
                    new Commit.PropertyWrite(
                        new PropertyKey(botId, null, "n"),
                        0,
                        new PropertyValue(PropertyType.INTEGER, Json.object().numberNode(1)))),
                List.of(),
                ids.randomId())
            .withHit(hit);
    requests.reset();
    store.commit(commit);

    assertThat(requests.snapshot()).isEqualTo(Map.of("TransactWriteItems", 1L));
    try (DynamoDbClient client =
        DynamoStore.client(
            DynamoDbTestServer.settings(table), DynamoStore.Timeouts.defaults(), List.of())) {
      Map<String, AttributeValue> item =
          client
              .getItem(
                  b ->
                      b.tableName(table)
                          .key(
                              Map.of(
                                  "pk", AttributeValue.fromS(HitItems.pk(botId, hit.id())),
                                  "sk", AttributeValue.fromS(hit.id())))
                          .consistentRead(true))
              .item();
      assertThat(item.get("ttl").n()).isEqualTo(Long.toString(expires.getEpochSecond()));
    }
  }
}
