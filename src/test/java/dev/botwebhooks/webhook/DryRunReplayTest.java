package dev.botwebhooks.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.Bot;
import dev.botwebhooks.core.HitRecord;
import dev.botwebhooks.core.HttpCall;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.MintRequest;
import dev.botwebhooks.core.Minter;
import dev.botwebhooks.core.PageRequest;
import dev.botwebhooks.core.PropertyKey;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.http.Headers;
import dev.botwebhooks.egress.EgressSettings;
import dev.botwebhooks.http.HttpRequest;
import dev.botwebhooks.oplog.OperatorLog;
import dev.botwebhooks.script.RhinoScriptRuntime;
import dev.botwebhooks.store.MemoryStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A dry-run replay has no write path (README "The request log"): run on a store whose every write
 * method is a trap, a replay that writes properties, sends, chains a run, schedules one and mints
 * a hook and asks for an HTTP call reports all of it, calls no write and queues no call.
 */
class DryRunReplayTest {
  private static final String BOT = "dry-bot";
  private static final Set<String> WRITES =
      Set.of(
          "createBot", "putCommand", "deleteCommand", "putLibrary", "deleteLibrary", "putUser",
          "putWebhook", "revokeWebhook", "putProperty", "deleteProperty", "commit", "logError",
          "logHit", "scheduleRun", "claimRun", "countHit", "isApplied");

  private final MemoryStore real = new MemoryStore();
  private final IdGenerator ids = IdGenerator.secure();
  private final Clock clock = Clock.systemUTC();
  private final Settings settings = Settings.defaults();
  private final RhinoScriptRuntime runtime = new RhinoScriptRuntime(settings.limits());
  private final List<String> writesTried = new CopyOnWriteArrayList<>();

  /** The real store, except that every write method records its name and throws. */
  private Store trapped() {
    return (Store)
        Proxy.newProxyInstance(
            Store.class.getClassLoader(),
            new Class<?>[] {Store.class},
            (proxy, method, args) -> {
              if (WRITES.contains(method.getName())) {
                writesTried.add(method.getName());
                throw new AssertionError("a dry run wrote: " + method.getName());
              }
              try {
                return method.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Test
  void dryRun_reportsEveryEffect_andCallsNoWriteOfTheStore() {
    real.createBot(new Bot(BOT, "Dry", "hash", 0, clock.instant()));
    real.putCommand(
        BOT,
        "/pay",
        List.of(),
        String.join(
            "\n",
            "var b = Bot.getProperty('balance', 0) + JSON.parse(content).amount;",
            "Bot.setProperty('balance', b, 'integer');",
            "Bot.sendMessage('balance ' + b);",
            "Bot.run({ command: '/after' });",
            "Bot.run({ command: '/later', run_after: 60 });",
            "Libs.Webhooks.getUrlFor({ command: '/pay', user_id: 7 });",
            "HTTP.post({ url: 'https://shop.example.com/paid', body: 'b=' + b,",
            "  headers: { Authorization: 'Bearer shop-secret', 'X-Order': '42' },",
            "  success: '/receipt' });"));
    real.putCommand(BOT, "/after", List.of(), "Bot.setProperty('after', true, 'boolean');");
    Minter minter = new Minter(real, ids, clock);
    String hookId =
        minter
            .mint(
                BOT,
                new MintRequest(
                    "/pay", Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty()),
                "https://api.example.com")
            .webhook()
            .id();
    List<HttpCall> queued = new CopyOnWriteArrayList<>();
    HitService live =
        new HitService(
            real, runtime, minter, ids, clock, settings,
            OperatorLog.toStandardError(OperatorLog.WEBHOOK_FUNCTION, clock),
            OutboundCalls.to(queued::addAll, EgressSettings.defaults()));
    HitReport first =
        live.hit(
            new HttpRequest(
                "POST", "/hooks/" + hookId, "", Map.of(), Headers.empty(),
                "{\"amount\":5}".getBytes(StandardCharsets.UTF_8), "192.0.2.1", "r1",
                "https://api.example.com"),
            hookId,
            Map.of(),
            Optional.empty());
    HitRecord logged = real.hit(BOT, first.hitId().orElseThrow()).orElseThrow();
    assertThat(queued).hasSize(1);
    int hooksBefore = real.webhooks(BOT, PageRequest.first(100)).items().size();

    ObjectNode report =
        new Replays(trapped(), runtime, ids, clock, settings, live).replay(logged, false);

    assertThat(writesTried).isEmpty();
    assertThat(report.get("answer").get("body").asText()).contains("balance 10");
    assertThat(report.get("property_changes").toString())
        .contains("\"name\":\"balance\"", "\"name\":\"after\"");
    assertThat(report.get("property_changes").get(0).get("before").get("value").asLong())
        .isEqualTo(5);
    assertThat(report.get("property_changes").get(0).get("after").get("value").asLong())
        .isEqualTo(10);
    assertThat(report.get("messages")).hasSize(1);
    assertThat(report.get("scheduled_runs").get(0).get("command").asText()).isEqualTo("/later");
    assertThat(report.get("minted_webhooks")).hasSize(1);
    JsonNode call = report.get("http_calls").get(0);
    assertThat(report.get("http_calls")).hasSize(1);
    assertThat(call.get("method").asText()).isEqualTo("POST");
    assertThat(call.get("url").asText()).isEqualTo("https://shop.example.com/paid");
    assertThat(call.get("body").asText()).isEqualTo("b=10");
    assertThat(call.get("headers").get("Authorization").asText()).isEqualTo("[redacted]");
    assertThat(call.get("headers").get("X-Order").asText()).isEqualTo("42");
    assertThat(call.get("success").asText()).isEqualTo("/receipt");
    assertThat(queued).as("the dry run queued nothing").hasSize(1);
    // And the real store is as the one real hit left it.
    assertThat(real.property(new PropertyKey(BOT, null, "balance")).orElseThrow().value()
            .value().asLong())
        .isEqualTo(5);
    assertThat(real.messages(BOT, Optional.empty(), PageRequest.first(100)).items()).hasSize(1);
    assertThat(real.hits(BOT, HitRecord.Filter.ALL, PageRequest.first(100)).items()).hasSize(1);
    assertThat(real.dueRuns(clock.instant().plus(Duration.ofDays(1)), 100)).hasSize(1);
    assertThat(real.webhooks(BOT, PageRequest.first(100)).items()).hasSize(hooksBefore);
  }
}
