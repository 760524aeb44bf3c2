package dev.botwebhooks.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.Bot;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.MintRequest;
import dev.botwebhooks.core.Minter;
import dev.botwebhooks.core.PropertyKey;
import dev.botwebhooks.http.Headers;
import dev.botwebhooks.http.HttpRequest;
import dev.botwebhooks.http.HttpResponse;
import dev.botwebhooks.script.RhinoScriptRuntime;
import dev.botwebhooks.store.dynamodb.DynamoDbTestServer;
import dev.botwebhooks.store.dynamodb.DynamoStore;
import dev.botwebhooks.store.dynamodb.RequestCounter;
import dev.botwebhooks.webhook.HitService;
import dev.botwebhooks.webhook.WebhookEndpoint;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a warm hit costs, counted at the DynamoDB client: requests per hit, and compilations (none
 * once a command has run).
 */
@ExtendWith(DynamoDbTestServer.class)
class HitCostTest {
  private static final String BOT = "cost-bot";

  private final RequestCounter requests = new RequestCounter();
  private final IdGenerator ids = IdGenerator.secure();
  private final Clock clock = Clock.systemUTC();
  private final Settings settings = Settings.defaults();
  private final RhinoScriptRuntime runtime = new RhinoScriptRuntime(settings.limits());
  private DynamoStore store;
  private Minter minter;
  private WebhookEndpoint endpoint;

  @BeforeEach
  void setUp() {
    store = DynamoDbTestServer.newStore(DynamoDbTestServer.freshTableName("cost"), requests);
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
    return endpoint.handle(
        new HttpRequest(
            "POST", "/hooks/" + hookId, "", Map.of(), Headers.empty(),
            "{}".getBytes(StandardCharsets.UTF_8), "198.51.100.3", "r", "https://api.example.com"));
  }

  @Test
  void warmHit_commandWritingNothing_costsAtMostFourRequests_andNoCompilation() {
    String hook = mint("/quiet", "42");
    assertThat(hit(hook).status()).isEqualTo(200);
    long compiled = runtime.compilations();
    requests.reset();

    assertThat(hit(hook).status()).isEqualTo(200);

    // Three to run it, and the request log's PutItem: with no commit, the hit has nothing to ride in.
    assertThat(requests.total()).as(requests.snapshot().toString()).isLessThanOrEqualTo(4);
    assertThat(requests.count("PutItem")).isEqualTo(1);
    assertThat(runtime.compilations()).isEqualTo(compiled);
  }

  @Test
  void warmHit_readWriteUserPropertyAndMessage_costsAtMostFiveRequests() {
    String hook = mint("/spend", "42");
    assertThat(hit(hook).status()).isEqualTo(200);
    requests.reset();

    HttpResponse second = hit(hook);

    assertThat(second.body()).contains("spent 10");
    assertThat(requests.total()).as(requests.snapshot().toString()).isLessThanOrEqualTo(5);
    // The request log rides in the commit's transaction: no request of its own.
    assertThat(requests.count("TransactWriteItems")).isEqualTo(1);
    assertThat(requests.count("PutItem")).isZero();
    assertThat(store.property(PropertyKey.ofUser(BOT, "42", "spent")).orElseThrow().version())
        .isEqualTo(2);
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
