package dev.botwebhooks.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botwebhooks.core.Commit;
import dev.botwebhooks.core.OutboxEntry;
import dev.botwebhooks.core.ScheduledRun;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.core.PageRequest;
import dev.botwebhooks.core.PropertyKey;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.store.CommitOutcomeContract;
import org.junit.jupiter.api.Nested;
import dev.botwebhooks.core.Webhook;
import dev.botwebhooks.store.StoreContract;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * The store contract on DynamoDB (the server the tests start by themselves), plus what only
 * DynamoDB has: request counts, TTL attributes, the table's settings.
 */
@ExtendWith(DynamoDbTestServer.class)
class DynamoStoreTest extends StoreContract {
  private final RequestCounter requests = new RequestCounter();
  private String table;

  @Override
  protected Store newStore() {
    table = DynamoDbTestServer.freshTableName("store-contract");
    return DynamoDbTestServer.newStore(table, requests);
  }

  @Nested
  class Outcomes extends CommitOutcomeContract {
    @Override
    protected Store newStore() {
      return DynamoDbTestServer.newStore(DynamoDbTestServer.freshTableName("outcome"));
    }
  }

  private DynamoDbClient rawClient() {
    return DynamoStore.client(
        DynamoDbTestServer.settings(table), DynamoStore.Timeouts.defaults(), List.of());
  }

  private Map<String, AttributeValue> rawItem(String pk, String sk) {
    try (DynamoDbClient client = rawClient()) {
      return client
          .getItem(
              b ->
                  b.tableName(table)
                      .key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk)))
                      .consistentRead(true))
          .item();
    }
  }

  @Test
  void createTableIfAbsent_twice_keepsTableWithTtlOnTtlAttribute() {
    requests.reset();
    ((DynamoStore) store).createTableIfAbsent();

    // On a table that exists, one read of a key no record has (README "Performance").
    assertThat(requests.snapshot()).isEqualTo(Map.of("GetItem", 1L));
    try (DynamoDbClient client = rawClient()) {
      var ttl = client.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription();
      assertThat(ttl.attributeName()).isEqualTo("ttl");
      assertThat(ttl.timeToLiveStatus()).isIn(TimeToLiveStatus.ENABLED, TimeToLiveStatus.ENABLING);
    }
  }

  @Test
  void putWebhook_withExpiry_bothItemsCarryTtlInEpochSeconds() {
    Instant expires = Instant.parse("2030-01-01T00:00:00.500Z");
    Webhook hook = new Webhook(ids.randomId(), botId, "/x", null, null, null, expires, T0);
    Webhook forever = hook(T0.plusSeconds(1));
    store.putWebhook(hook);
    store.putWebhook(forever);

    String listingSk = String.format("%013d#%s", T0.toEpochMilli(), hook.id());
    assertThat(rawItem("HOOK#" + hook.id(), "HOOK").get("ttl").n())
        .isEqualTo(Long.toString(expires.getEpochSecond()));
    assertThat(rawItem(Keys.hooksPk(botId, hook.id()), listingSk).get("ttl").n())
        .isEqualTo(Long.toString(expires.getEpochSecond()));
    assertThat(rawItem("HOOK#" + forever.id(), "HOOK")).doesNotContainKey("ttl");
  }

  /**
   * No partition takes the writes of all of a bot's users or of the whole schedule (README
   * "Performance"), and the listings read across the partitions stay in order.
   */
  @Test
  void keysSpread_messagesPropertiesAndScheduledRunsOfManyUsers_listedInOrder() {
    List<OutboxEntry> sent = new ArrayList<>();
    List<ScheduledRun> runs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      OutboxEntry m = message("u" + i, "m" + i, T0.plusMillis(i));
      sent.add(0, m);
      store.commit(
          new Commit(
              botId,
              List.of(),
              List.of(new Commit.PropertyWrite(PropertyKey.ofUser(botId, "u" + i, "p"), 0,
                  integer(i))),
              List.of(m),
              ids.randomId()));
      ScheduledRun run =
          new ScheduledRun(
              ids.timeOrderedId(T0), botId, null, "/later", Json.object(), "u" + i,
              T0.plusSeconds(40 - i), "", "https://example.com");
      store.scheduleRun(run);
      runs.add(0, run);
    }

    Set<String> outboxes = new HashSet<>();
    Set<String> schedules = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      OutboxEntry m = sent.get(39 - i);
      outboxes.add(Keys.outPk(botId, m.userId()));
      assertThat(rawItem(Keys.outPk(botId, m.userId()), m.id())).isNotEmpty();
      assertThat(rawItem(Keys.userPk(botId, "u" + i), "PROP#p")).isNotEmpty();
      schedules.add(Keys.schedulePk(runs.get(i)));
    }
    assertThat(outboxes).hasSizeGreaterThan(8);
    assertThat(schedules).hasSizeGreaterThan(8);
    assertThat(readAll(p -> store.messages(botId, Optional.empty(), p), 7))
        .containsExactlyElementsOf(sent);
    assertThat(readAll(p -> store.messages(botId, Optional.of("u7"), p), 3))
        .containsExactly(sent.get(32));
    assertThat(store.dueRuns(T0.plusSeconds(100), 25)).containsExactlyElementsOf(runs.subList(0, 25));
    assertThat(store.claimRun(runs.get(0))).isTrue();
    assertThat(store.dueRuns(T0.plusSeconds(100), 1)).containsExactly(runs.get(1));
  }

  @Test
  void countHit_counterItemExpiresAfterItsMinute() {
    Instant at = Instant.parse("2024-05-01T10:07:30Z");
    store.countHit("198.51.100.7", at);

    long minute = at.getEpochSecond() / 60;
    Map<String, AttributeValue> item = rawItem("RATE#198.51.100.7#" + minute, "RATE");
    assertThat(Long.parseLong(item.get("ttl").n())).isGreaterThan(at.getEpochSecond() + 30);
  }

  @Test
  void hitPathReads_costOneRequestEach() {
    Webhook hook = hook(T0);
    store.putWebhook(hook);
    store.putCommand(botId, "/a", List.of(), "a");
    PropertyKey key = PropertyKey.ofUser(botId, "ann", "n");

    assertThat(count(() -> store.webhook(hook.id())))
        .containsExactlyEntriesOf(Map.of("GetItem", 1L));
    assertThat(count(() -> store.botAndUser(botId, Optional.of("ann"))))
        .containsExactlyEntriesOf(Map.of("BatchGetItem", 1L));
    assertThat(count(() -> store.botAndUser(botId, Optional.empty())))
        .containsExactlyEntriesOf(Map.of("GetItem", 1L));
    assertThat(count(() -> store.code(botId))).containsExactlyEntriesOf(Map.of("Query", 1L));
    assertThat(count(() -> store.property(key))).containsExactlyEntriesOf(Map.of("GetItem", 1L));
    assertThat(count(() -> store.countHit("c", T0)))
        .containsExactlyEntriesOf(Map.of("UpdateItem", 1L));
  }

  @Test
  void commit_isOneTransactionAndEmptyCommitIsNone() {
    PropertyKey read = PropertyKey.ofBot(botId, "r");
    PropertyKey written = PropertyKey.ofUser(botId, "ann", "w");
    store.putProperty(read, integer(1));
    Commit commit =
        new Commit(
            botId,
            List.of(new Commit.PropertyRead(read, 1)),
            List.of(new Commit.PropertyWrite(written, 0, integer(2))),
            List.of(message("ann", "hi", T0), apiCall("ann", T0)),
            ids.randomId());

    assertThat(count(() -> store.commit(commit)))
        .containsExactlyEntriesOf(Map.of("TransactWriteItems", 1L));
    assertThat(
            count(
                () ->
                    store.commit(
                        new Commit(
                            botId,
                            List.of(new Commit.PropertyRead(read, 1)),
                            List.of(),
                            List.of(),
                            ids.randomId()))))
        .isEmpty();
  }

  @Test
  void commit_sendsItsTokenAsClientRequestToken() {
    List<String> tokens = new CopyOnWriteArrayList<>();
    ExecutionInterceptor capture =
        new ExecutionInterceptor() {
          @Override
          public void beforeExecution(
              Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof TransactWriteItemsRequest r) {
              tokens.add(r.clientRequestToken());
            }
          }
        };
    DynamoStore capturing = DynamoDbTestServer.newStore(table, capture);
    String token = ids.randomId();

    capturing.commit(
        new Commit(botId, List.of(), List.of(), List.of(message(null, "x", T0)), token));

    assertThat(tokens).containsExactly(token);
  }

  @Test
  void codeWrites_areOneTransactionEach() {
    store.putCommand(botId, "/a", List.of(), "a");

    assertThat(count(() -> store.putCommand(botId, "/a", List.of(), "b")))
        .containsEntry("TransactWriteItems", 1L);
    assertThat(count(() -> store.deleteCommand(botId, "/a")))
        .containsExactlyEntriesOf(Map.of("TransactWriteItems", 1L));
  }

  @Test
  void requestToken_isAtMost36SafeCharacters() {
    String token = CommitWrites.requestToken("x".repeat(100));

    assertThat(token).hasSize(36).matches("[A-Za-z0-9_-]+");
    assertThat(CommitWrites.requestToken("abc")).isEqualTo("abc");
    assertThat(CommitWrites.requestToken("x".repeat(100))).isEqualTo(token);
  }

  @Test
  void webhooks_listingPage_isOneQueryPerShard() {
    for (int i = 0; i < 5; i++) {
      store.putWebhook(hook(T0.plusSeconds(i)));
    }

    assertThat(count(() -> store.webhooks(botId, PageRequest.first(3))))
        .containsExactlyEntriesOf(Map.of("Query", (long) Keys.SHARDS));
  }

  private Map<String, Long> count(Runnable action) {
    requests.reset();
    action.run();
    return requests.snapshot();
  }
}
