package dev.botwebhooks.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.bench.DelayingProxy;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.Bot;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.MintRequest;
import dev.botwebhooks.core.Minter;
import dev.botwebhooks.core.PropertyKey;
import dev.botwebhooks.http.Headers;
import dev.botwebhooks.http.HttpRequest;
import dev.botwebhooks.http.HttpResponse;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.oplog.OperatorLog;
import dev.botwebhooks.script.RhinoScriptRuntime;
import dev.botwebhooks.store.dynamodb.DynamoDbTestServer;
import dev.botwebhooks.store.dynamodb.DynamoStore;
import dev.botwebhooks.store.dynamodb.RequestCounter;
import dev.botwebhooks.webhook.HitService;
import dev.botwebhooks.webhook.WebhookEndpoint;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a warm hit costs, counted at the DynamoDB client (and, for the log line, at the server):
 * requests per hit, sequential round trips (waves of overlapping requests through a proxy that
 * delays each one), and compilations (none once a command has run).
 */
@ExtendWith(DynamoDbTestServer.class)
class HitCostTest {
  /** Far above the time between two requests sent together, even on a loaded machine. */
  private static final Duration DELAY = Duration.ofMillis(80);

  private static final String BOT = "cost-bot";

  private final RequestCounter requests = new RequestCounter();
  private final IdGenerator ids = IdGenerator.secure();
  private final Clock clock = Clock.systemUTC();
  private final Settings settings = Settings.defaults();
  private final RhinoScriptRuntime runtime = new RhinoScriptRuntime(settings.limits());
  private DelayingProxy proxy;
  private DynamoStore store;
  private Minter minter;
  private WebhookEndpoint endpoint;

  @BeforeEach
  void setUp() throws Exception {
    proxy = new DelayingProxy(URI.create(DynamoDbTestServer.endpoint()), DELAY);
    store = DynamoStore.create(viaProxy(proxy, "cost"), DynamoDbTestServer.TEST_TIMEOUTS, requests);
    store.createTableIfAbsent();
    minter = new Minter(store, ids, clock);
    endpoint =
        new WebhookEndpoint(
            new HitService(store, runtime, minter, ids, clock, settings), settings, clock);
    store.createBot(new Bot(BOT, "Cost bot", "hash", 0, clock.instant()));
    store.putCommand(BOT, "/quiet", List.of(), "var total = 0; for (var i = 0; i < 10; i++) total += i;");
    store.putCommand(
        BOT,
        "/spend",
        List.of(),
        "var spent = User.getProperty('spent', 0) + 5;\n"
            + "User.setProperty('spent', spent, 'integer');\n"
            + "Bot.sendMessage('spent ' + spent);");
  }

  @AfterEach
  void tearDown() {
    proxy.close();
  }

  private static Settings viaProxy(DelayingProxy proxy, String tablePrefix) {
    return Settings.from(
        Map.of(
            Settings.Env.TABLE_NAME, DynamoDbTestServer.freshTableName(tablePrefix),
            Settings.Env.DYNAMODB_ENDPOINT, proxy.url(),
            Settings.Env.AWS_REGION, "us-east-1"));
  }

  private String mint(String command, String userId) {
    return minter
        .mint(
            BOT,
            new MintRequest(
                command, Optional.empty(), Optional.ofNullable(userId), Optional.empty(),
                Optional.empty()),
            "https://api.example.com")
        .webhook()
        .id();
  }

  private HttpResponse hit(String hookId) {
    return hit(endpoint, hookId);
  }

  private static HttpResponse hit(WebhookEndpoint endpoint, String hookId) {
    return endpoint.handle(
        new HttpRequest(
            "POST", "/hooks/" + hookId, "", Map.of(), Headers.empty(),
            "{}".getBytes(StandardCharsets.UTF_8), "198.51.100.3", "r", "https://api.example.com"));
  }

  @Test
  void warmHit_commandWritingNothing_costsTwoRequestsInTwoRoundTrips_andNoCompilation() {
    String hook = mint("/quiet", "42");
    assertThat(hit(hook).status()).isEqualTo(200);
    long compiled = runtime.compilations();
    requests.reset();
    proxy.reset();

    assertThat(hit(hook).status()).isEqualTo(200);

    // The rate count with the hook, bot and user in one BatchGetItem, then one transaction that
    // writes the request log's entry and adds the hit to the rate count (README "Performance").
    assertThat(requests.snapshot())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("BatchGetItem", 1L, "TransactWriteItems", 1L));
    assertThat(requests.total()).isEqualTo(2);
    assertThat(proxy.waves()).as(proxy.exchanges().toString()).isEqualTo(2);
    assertThat(runtime.compilations()).isEqualTo(compiled);
  }

  @Test
  void warmHit_readWriteUserPropertyAndMessage_costsThreeRequestsInThreeRoundTrips() {
    String hook = mint("/spend", "42");
    assertThat(hit(hook).status()).isEqualTo(200);
    requests.reset();
    proxy.reset();

    HttpResponse second = hit(hook);

    assertThat(second.body()).contains("spent 10");
    // The first reads with the rate count, the property read, and the commit, which carries the
    // request log's entry and the rate count: neither costs a request of its own.
    assertThat(requests.snapshot())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("BatchGetItem", 1L, "GetItem", 1L, "TransactWriteItems", 1L));
    assertThat(requests.total()).isEqualTo(3);
    assertThat(proxy.waves()).as(proxy.exchanges().toString()).isEqualTo(3);
    assertThat(store.property(PropertyKey.ofUser(BOT, "42", "spent")).orElseThrow().version())
        .isEqualTo(2);
  }

  @Test
  void repeatedDelivery_isReplayedByteForByte_costingOneReadBeyondTheHooksLookup() {
    String hook = mint("/spend", "42");
    HttpResponse first = hitWithHeader(hook, "Idempotency-Key", "pay-1");
    assertThat(first.body()).contains("spent 5");
    String quiet = mint("/quiet", "42");
    assertThat(hit(quiet).status()).isEqualTo(200);
    requests.reset();
    assertThat(hit(quiet).status()).isEqualTo(200);
    long readOnlyHit = requests.total();
    long compiled = runtime.compilations();
    requests.reset();

    HttpResponse again = hitWithHeader(hook, "Idempotency-Key", "pay-1");

    assertThat(again.status()).isEqualTo(first.status());
    assertThat(again.body()).isEqualTo(first.body());
    Map<String, String> expected = new java.util.HashMap<>(first.headers());
    expected.put("Idempotent-Replayed", "true");
    assertThat(again.headers()).isEqualTo(expected);
    // What any hit reads first and its request-log entry with its rate count, and the delivery's
    // record: nothing runs, nothing else is written.
    assertThat(requests.total()).as(requests.snapshot().toString()).isEqualTo(readOnlyHit + 1);
    assertThat(requests.count("GetItem")).isEqualTo(1);
    assertThat(requests.count("TransactWriteItems")).isEqualTo(1);
    assertThat(runtime.compilations()).isEqualTo(compiled);
    assertThat(store.property(PropertyKey.ofUser(BOT, "42", "spent")).orElseThrow().version())
        .isEqualTo(1);
  }

  private HttpResponse hitWithHeader(String hookId, String name, String value) {
    return endpoint.handle(
        new HttpRequest(
            "POST", "/hooks/" + hookId, "", Map.of(), Headers.builder().add(name, value).build(),
            "{}".getBytes(StandardCharsets.UTF_8), "198.51.100.3", "r", "https://api.example.com"));
  }

  @Test
  void firstHitOfAHookInAProcess_readsTheHook_thenTheBotsCodeBesideItsUserAndRateCount() {
    String hook = mint("/quiet", "42");
    requests.reset();
    proxy.reset();

    assertThat(hit(hook).status()).isEqualTo(200);

    // The hook; then the bot's code, whose query holds the bot's item, beside the user and the
    // rate count in one batch (first hit of the bot); then the request log's entry with the rate
    // count in one transaction (README "Performance").
    assertThat(requests.snapshot())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("GetItem", 1L, "BatchGetItem", 1L, "Query", 1L, "TransactWriteItems", 1L));
    assertThat(proxy.waves()).as(proxy.exchanges().toString()).isEqualTo(3);
  }

  @Test
  void firstHitOfAHook_whoseBotsCodeThisProcessHolds_readsNoCode() {
    String warm = mint("/quiet", "42");
    assertThat(hit(warm).status()).isEqualTo(200);
    String other = mint("/spend", "7");
    long compiled = runtime.compilations();
    requests.reset();
    proxy.reset();

    HttpResponse response = hit(other);

    assertThat(response.body()).contains("spent 5");
    // The hook, then its bot (whose code version matches the code kept), user and rate count in
    // one batch, the property read and the commit: no query for the code.
    assertThat(requests.snapshot())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("GetItem", 2L, "BatchGetItem", 1L, "TransactWriteItems", 1L));
    assertThat(proxy.waves()).as(proxy.exchanges().toString()).isEqualTo(4);
    assertThat(runtime.compilations()).isEqualTo(compiled + 1);
  }

  @Test
  void firstHitOfAHook_afterItsBotsCodeChanged_runsTheNewCode() {
    String hook = mint("/quiet", "42");
    assertThat(hit(hook).status()).isEqualTo(200);
    store.putCommand(BOT, "/quiet", List.of(), "Bot.sendMessage('changed')");
    String other = mint("/quiet", "7");

    assertThat(hit(other).body()).contains("changed");
    assertThat(hit(hook).body()).contains("changed");
  }

  @Test
  void firstHitOfAHook_withoutUserOrCountedClient_readsTheCodeAlone() {
    Settings allowlisted =
        Settings.from(Map.of(Settings.Env.IP_ALLOWLIST, "198.51.100.3"));
    WebhookEndpoint trusting =
        new WebhookEndpoint(
            new HitService(store, runtime, minter, ids, clock, allowlisted), allowlisted, clock);
    String hook = mint("/quiet", null);
    requests.reset();
    proxy.reset();

    assertThat(hit(trusting, hook).status()).isEqualTo(200);

    assertThat(requests.snapshot())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("GetItem", 1L, "Query", 1L, "TransactWriteItems", 1L));
    assertThat(proxy.waves()).as(proxy.exchanges().toString()).isEqualTo(3);
  }

  @Test
  void firstHitOfAHook_ofADeletedBot_answers404() {
    String hook = mint("/quiet", "42");
    store.deleteBot(BOT);

    assertThat(hit(hook).status()).isEqualTo(404);
  }

  @Test
  void revokedHook_answers404_althoughThisProcessKnowsItsBot() {
    String hook = mint("/quiet", "42");
    assertThat(hit(hook).status()).isEqualTo(200);

    assertThat(store.revokeWebhook(BOT, hook)).isTrue();

    assertThat(hit(hook).status()).isEqualTo(404);
  }

  /**
   * The log line's {@code dynamodb_requests} is what the DynamoDB server received for the hit,
   * counted by a proxy in front of it: the reads, the mint and the commit the run makes on its
   * worker thread included, and the deferred run's too.
   */
  @Test
  void logLine_dynamoDbRequests_equalTheRequestsTheServerReceived() throws Exception {
    try (DelayingProxy counting =
        new DelayingProxy(URI.create(DynamoDbTestServer.endpoint()), Duration.ZERO)) {
      DynamoStore counted =
          DynamoStore.create(viaProxy(counting, "counted"), DynamoDbTestServer.TEST_TIMEOUTS);
      counted.createTableIfAbsent();
      counted.createBot(new Bot(BOT, "Cost bot", "hash", 0, clock.instant()));
      counted.putCommand(
          BOT,
          "/busy",
          List.of(),
          """
          var n = Bot.getProperty('n', 0) + User.getProperty('m', 0);
          User.setProperty('m', n + 1, 'integer');
          Libs.Webhooks.getUrlFor({command: '/later'});
          Bot.run({command: '/later'});
          Bot.sendMessage('n ' + n);
          """);
      counted.putCommand(BOT, "/later", List.of(), "Bot.setProperty('n', 1, 'integer');");
      Minter countedMinter = new Minter(counted, ids, clock);
      List<String> logLines = new CopyOnWriteArrayList<>();
      WebhookEndpoint countedEndpoint =
          new WebhookEndpoint(
              new HitService(counted, runtime, countedMinter, ids, clock, settings),
              settings,
              new OperatorLog(OperatorLog.WEBHOOK_FUNCTION, logLines::add, clock));
      String hook =
          countedMinter
              .mint(BOT, MintRequest.forUser("/busy", "42"), "https://api.example.com")
              .webhook()
              .id();

      long before = counting.requests();
      HttpResponse response = hit(countedEndpoint, hook);
      long received = counting.requests() - before;

      assertThat(response.body()).isEqualTo("{\"answer\":\"n 0\"}");
      assertThat(logLines).hasSize(1);
      JsonNode line = Json.MAPPER.readTree(logLines.get(0));
      // Hook, bot, user and rate count, code, two property reads, mint and commit, and the
      // deferred run's read and commit: well over what the hit thread alone sends.
      assertThat(received).isGreaterThanOrEqualTo(9);
      assertThat(line.get("dynamodb_requests").asLong()).isEqualTo(received);
      assertThat(line.get("status").asInt()).isEqualTo(200);
    }
  }

  @Test
  void commandChange_compilesOnce_thenWarmAgain() {
    String hook = mint("/quiet", null);
    hit(hook);
    long before = runtime.compilations();

    store.putCommand(BOT, "/quiet", List.of(), "Bot.sendMessage('changed');");
    HttpResponse changed = hit(hook);
    hit(hook);

    assertThat(changed.body()).contains("changed");
    assertThat(runtime.compilations()).isEqualTo(before + 1);
  }
}
