package dev.botwebhooks.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.core.Commit;
import dev.botwebhooks.core.HttpCall;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.ScheduledRun;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.store.MemoryStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * README "Operator logs and metrics": every hit, bot API call and scheduled run writes one JSON line
 * with its failure category and Embedded Metric Format metrics, and never a key or a body.
 */
class OperatorLogScenariosTest {
  private static final String SECRET = "s3cr3t-in-the-body";

  private static List<JsonNode> linesOf(Runnable action) {
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(text).doesNotContain(SECRET);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("{")) {
        try {
          lines.add(Json.parse(line));
        } catch (Exception e) {
          throw new AssertionError("not JSON: " + line, e);
        }
      }
    }
    return lines;
  }

  private static void assertEmbeddedMetrics(JsonNode line) {
    JsonNode directive = line.path("_aws").path("CloudWatchMetrics").path(0);
    assertThat(line.path("_aws").path("Timestamp").isNumber()).isTrue();
    assertThat(directive.path("Namespace").asText()).isEqualTo("BotWebhooks");
    for (JsonNode metric : directive.path("Metrics")) {
      assertThat(line.path(metric.path("Name").asText()).isNumber())
          .as("metric " + metric + " has a value in " + line)
          .isTrue();
    }
    for (JsonNode dimensions : directive.path("Dimensions")) {
      for (JsonNode name : dimensions) {
        assertThat(line.path(name.asText()).isTextual()).as("dimension " + name).isTrue();
      }
    }
  }

  @Test
  void everyRequestAndRun_writesOneLineWithItsCategory_andNoKeyOrBody() {
    BotHarness[] bot = new BotHarness[1];
    List<JsonNode> setup =
        linesOf(() -> bot[0] = new BotHarness(new MemoryStore(), Map.of("MAX_MESSAGES", "2")));
    BotHarness harness = bot[0];
    List<JsonNode> commands =
        linesOf(
            () -> {
              harness.command("/ok", "Bot.sendMessage('fine')");
              harness.command("/throws", "throw new Error(content)");
              harness.command("/typo", "var x = notDefinedAnywhere + 1;");
              harness.command("/chatty", "for (var i = 0; i < 5; i++) Bot.sendMessage('m' + i)");
            });
    String ok = harness.mint("{\"command\":\"/ok\"}");
    String throwing = harness.mint("{\"command\":\"/throws\"}");
    String typo = harness.mint("{\"command\":\"/typo\"}");
    String chatty = harness.mint("{\"command\":\"/chatty\"}");

    List<JsonNode> hits =
        linesOf(
            () -> {
              harness.hit("POST", ok, "{\"note\":\"" + SECRET + "\"}");
              harness.hit("POST", throwing, SECRET);
              harness.hit(typo);
              harness.hit(chatty);
              harness.hit("/hooks/AAAAAAAAAAAAAAAAAAAAAA");
            });

    assertThat(setup).hasSize(1);
    assertThat(setup.get(0).path("kind").asText()).isEqualTo("api");
    assertThat(setup.get(0).path("status").asInt()).isEqualTo(201);
    assertThat(setup.get(0).toString()).doesNotContain(harness.apiKey, BotHarness.ADMIN_KEY);
    assertThat(commands).hasSize(4);
    for (JsonNode line : commands) {
      assertThat(line.path("function").asText()).isEqualTo("BotApiFunction");
      assertThat(line.path("route").asText()).isEqualTo("PUT /bots/{botId}/commands/{name}");
      assertThat(line.path("bot_id").asText()).isEqualTo(harness.botId);
      assertThat(line.toString()).doesNotContain(harness.apiKey, "sendMessage");
      assertEmbeddedMetrics(line);
    }

    assertThat(hits).hasSize(5);
    assertThat(hits).allSatisfy(line -> assertThat(line.path("kind").asText()).isEqualTo("hit"));
    assertThat(hits).allSatisfy(OperatorLogScenariosTest::assertEmbeddedMetrics);
    assertThat(hits.get(0).path("failure").isNull()).isTrue();
    assertThat(hits.get(0).path("Failures").asInt()).isZero();
    assertThat(hits.get(1).path("failure").asText()).isEqualTo("command");
    assertThat(hits.get(1).path("reason").asText()).isEqualTo("uncaught exception");
    assertThat(hits.get(1).path("CommandFailures").asInt()).isEqualTo(1);
    assertThat(hits.get(2).path("failure").asText()).isEqualTo("command");
    assertThat(hits.get(2).path("reason").asText()).isEqualTo("ReferenceError");
    assertThat(hits.get(3).path("failure").asText()).isEqualTo("limit");
    assertThat(hits.get(3).path("reason").asText()).isEqualTo("MAX_MESSAGES");
    assertThat(hits.get(3).path("LimitFailures").asInt()).isEqualTo(1);
    assertThat(hits.get(4).path("status").asInt()).isEqualTo(404);
    assertThat(hits.get(4).path("bot_id").isNull()).isTrue();
    assertThat(hits.get(4).path("_aws").path("CloudWatchMetrics").path(0).path("Dimensions"))
        .as("no bot dimension without a bot")
        .hasSize(1);
  }

  @Test
  void scheduledRun_writesOneLine() {
    BotHarness harness = new BotHarness(new MemoryStore(), Map.of());
    harness.command("/later", "Bot.sendMessage('later')");
    harness
        .deployment
        .store()
        .scheduleRun(
            new ScheduledRun(
                "run-1", harness.botId, null, "/later", Json.object(), null,
                Instant.now().minusSeconds(1), "", BotHarness.BASE));

    List<JsonNode> lines = linesOf(() -> harness.deployment.hitService().runDueRuns());

    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).path("kind").asText()).isEqualTo("scheduled");
    assertThat(lines.get(0).path("function").asText()).isEqualTo("WebhookFunction");
    assertThat(lines.get(0).path("bot_id").asText()).isEqualTo(harness.botId);
    assertThat(lines.get(0).path("failure").isNull()).isTrue();
    assertEmbeddedMetrics(lines.get(0));
  }

  @Test
  void queuedCall_writesOneLinePerDelivery_aRefusalIsTheCommandsFailure() {
    BotHarness harness = new BotHarness(new MemoryStore(), Map.of());
    harness.command("/err", "Bot.sendMessage('error: ' + content)");
    // A name for loopback: the egress policy refuses it before any connection.
    HttpCall call =
        new HttpCall(
            IdGenerator.secure().timeOrderedId(Instant.now()), harness.botId, null, "1",
            BotHarness.BASE,
            new HttpCall.Request(
                "GET", "http://localhost/admin", Map.of(), null, false, null, "/err",
                Json.object()));
    // Kept as a run's commit keeps it.
    harness.deployment.store().commit(
        new Commit(harness.botId, List.of(), List.of(), List.of(), "t-" + call.id())
            .withCalls(List.of(call)));

    List<JsonNode> first = linesOf(() -> harness.deployment.httpCalls().execute(call));
    List<JsonNode> again = linesOf(() -> harness.deployment.httpCalls().execute(call));

    assertThat(first).hasSize(1);
    JsonNode line = first.get(0);
    assertThat(line.path("kind").asText()).isEqualTo("queued");
    assertThat(line.path("function").asText()).isEqualTo("HttpCallFunction");
    assertThat(line.path("bot_id").asText()).isEqualTo(harness.botId);
    assertThat(line.path("call_id").asText()).isEqualTo(call.id());
    assertThat(line.path("result").asText()).isEqualTo("error");
    assertThat(line.path("failure").asText()).isEqualTo("command");
    assertThat(line.path("reason").asText()).isEqualTo("refused");
    assertThat(line.toString()).doesNotContain("localhost");
    assertEmbeddedMetrics(line);
    assertThat(again).hasSize(1);
    assertThat(again.get(0).path("result").asText()).isEqualTo("redelivery");
    assertThat(again.get(0).path("failure").isNull()).isTrue();
  }
}
