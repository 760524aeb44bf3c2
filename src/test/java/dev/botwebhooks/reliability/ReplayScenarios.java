package dev.botwebhooks.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.HttpCall;
import dev.botwebhooks.core.Store;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The request log and replays (README "The request log") from outside, through the local server
 * on each store: every hit logged with its secrets redacted; a dry replay of a payment callback
 * shows the balance change and leaves balance, outbox, log and schedule as they were; a committed
 * replay applies it once.
 */
abstract class ReplayScenarios {
  private static final String PAY =
      String.join(
          "\n",
          "var order = JSON.parse(content);",
          "var balance = User.getProperty('balance', 0) + order.amount;",
          "User.setProperty('balance', balance, 'integer');",
          "Bot.sendMessage('credited ' + order.amount + ', balance ' + balance);",
          "Bot.run({ command: '/receipt', run_after: 3600 });");

  private LocalService service;
  private BotClient bot;
  private String hook;

  abstract Store newStore();

  @BeforeEach
  void serve() {
    service =
        new LocalService(
            newStore(),
            Map.of(
                Settings.Env.HIT_LOG_REDACT_HEADERS, "X-Shop-Token",
                Settings.Env.HIT_LOG_BODY_BYTES, "64"));
    bot = service.createBot("Shop");
    bot.command("/pay", PAY);
    bot.command("/receipt", "Bot.sendMessage('receipt');");
    bot.command("/broken", "throw new Error('no such order');");
    hook = bot.mint("{\"command\":\"/pay\",\"user_id\":\"1\"}");
  }

  @AfterEach
  void close() {
    service.close();
  }

  private HttpResponse<String> pay(int amount) {
    return service.send(
        service
            .request(hook + "?ref=abc")
            .header("Authorization", "Bearer provider-secret")
            .header("Cookie", "session=s3cret")
            .header("Stripe-Signature", "t=1,v1=abcdef")
            .header("PAYPAL-TRANSMISSION-SIG", "paypal-sig")
            .header("X-Shop-Token", "shop-secret")
            .header("X-Order-Source", "web")
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofString("{\"amount\":" + amount + "}")));
  }

  private JsonNode json(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return LocalService.parse(r.body());
  }

  private int scheduledRuns() {
    return service.deployment.store().dueRuns(Instant.now().plus(Duration.ofDays(2)), 100).size();
  }

  @Test
  void everyHit_isLogged_withItsRequestRedacted_itsAnswer_andItsEffects() {
    assertThat(pay(5).statusCode()).isEqualTo(200);

    List<JsonNode> hits = bot.all("/hits");
    assertThat(hits).hasSize(1);
    JsonNode summary = hits.get(0);
    assertThat(summary.get("status").asInt()).isEqualTo(200);
    assertThat(summary.get("hook_id").asText()).isEqualTo(hook.substring("/hooks/".length()));
    assertThat(summary.get("method").asText()).isEqualTo("POST");

    JsonNode hit = json(bot.api("GET", "/hits/" + summary.get("id").asText(), null, null), 200);
    JsonNode request = hit.get("request");
    assertThat(request.get("query").asText()).isEqualTo("ref=abc");
    assertThat(request.get("body").asText()).isEqualTo("{\"amount\":5}");
    assertThat(request.get("body_truncated").asBoolean()).isFalse();
    JsonNode headers = request.get("headers");
    for (String secret :
        List.of(
            "authorization", "cookie", "stripe-signature", "paypal-transmission-sig",
            "x-shop-token")) {
      assertThat(header(headers, secret)).as(secret).isEqualTo("[redacted]");
    }
    assertThat(header(headers, "x-order-source")).isEqualTo("web");
    assertThat(hit.toString())
        .doesNotContain("provider-secret", "s3cret", "abcdef", "paypal-sig", "shop-secret");
    assertThat(hit.get("answer").get("status").asInt()).isEqualTo(200);
    assertThat(hit.get("answer").get("body").asText()).contains("credited 5, balance 5");
    assertThat(hit.get("messages").get(0).get("text").asText())
        .isEqualTo("credited 5, balance 5");
    JsonNode change = hit.get("property_changes").get(0);
    // Ids as the bot API answers them elsewhere (README "Numeric ids").
    assertThat(change.get("user_id").isNumber()).isTrue();
    assertThat(change.get("user_id").asLong()).isEqualTo(1);
    assertThat(hit.get("user_id").isNumber()).isTrue();
    assertThat(change.get("name").asText()).isEqualTo("balance");
    assertThat(change.get("before").isNull()).isTrue();
    assertThat(change.get("after").get("value").asLong()).isEqualTo(5);
    assertThat(hit.get("code_version").asLong()).isPositive();
    assertThat(hit.get("duration_ms").asLong()).isNotNegative();
    assertThat(hit.get("error").isNull()).isTrue();
  }

  @Test
  void bodyOverTheCap_isCutAndMarked_andFailedHits_areLoggedWithTheirError() {
    String longBody = "{\"amount\":1,\"note\":\"" + "x".repeat(100) + "\"}";
    service.send(
        service.request(hook).header("Content-Type", "application/json")
            .POST(BodyPublishers.ofString(longBody)));
    String broken = bot.mint("{\"command\":\"/broken\"}");
    assertThat(bot.hit(broken).statusCode()).isEqualTo(503);

    List<JsonNode> failed = bot.all("/hits?status=503");
    assertThat(failed).hasSize(1);
    assertThat(failed.get(0).get("error").asText()).contains("no such order");
    List<JsonNode> ofPay = bot.all("/hits?hook_id=" + hook.substring("/hooks/".length()));
    assertThat(ofPay).hasSize(1);
    JsonNode cut =
        json(bot.api("GET", "/hits/" + ofPay.get(0).get("id").asText(), null, null), 200);
    assertThat(cut.get("request").get("body").asText()).isEqualTo(longBody.substring(0, 64));
    assertThat(cut.get("request").get("body_truncated").asBoolean()).isTrue();
    assertThat(cut.get("request").get("body_bytes").asInt()).isEqualTo(longBody.length());
    assertThat(json(bot.api("GET", "/hits?status=abc", null, null), 400).get("error").asText())
        .contains("status");
    assertThat(bot.api("GET", "/hits/nope", null, null).statusCode()).isEqualTo(404);
  }

  @Test
  void dryReplay_showsTheBalanceChange_andTouchesNothing_committedReplay_appliesItOnce() {
    assertThat(pay(5).statusCode()).isEqualTo(200);
    String hitId = bot.all("/hits").get(0).get("id").asText();
    int scheduledBefore = scheduledRuns();
    assertThat(scheduledBefore).isEqualTo(1);

    JsonNode dry = json(bot.api("POST", "/hits/" + hitId + "/replay", null, null), 200);

    assertThat(dry.get("dry_run").asBoolean()).isTrue();
    assertThat(dry.get("answer").get("status").asInt()).isEqualTo(200);
    assertThat(dry.get("answer").get("body").asText()).contains("credited 5, balance 10");
    JsonNode change = dry.get("property_changes").get(0);
    assertThat(change.get("name").asText()).isEqualTo("balance");
    assertThat(change.get("before").get("value").asLong()).isEqualTo(5);
    assertThat(change.get("after").get("value").asLong()).isEqualTo(10);
    assertThat(dry.get("messages").get(0).get("text").asText()).isEqualTo("credited 5, balance 10");
    assertThat(dry.get("scheduled_runs").get(0).get("command").asText()).isEqualTo("/receipt");
    assertThat(dry.get("scheduled_runs").get(0).get("label").isNull()).isTrue();
    assertThat(dry.get("scheduled_runs").get(0).get("user_id").isNumber()).isTrue();
    assertThat(dry.get("messages").get(0).get("user_id").isNumber()).isTrue();
    assertThat(dry.get("error").isNull()).isTrue();
    // Nothing written, sent or queued.
    assertThat(bot.userProperty("1", "balance").orElseThrow().asLong()).isEqualTo(5);
    assertThat(bot.all("/messages")).hasSize(1);
    assertThat(bot.all("/hits")).hasSize(1);
    assertThat(scheduledRuns()).isEqualTo(scheduledBefore);

    // Which of two values was meant is unknown: refused, nothing applied.
    assertThat(
            json(bot.api("POST", "/hits/" + hitId + "/replay?commit=true&commit=false", null, null),
                400).get("error").asText())
        .isEqualTo("commit is given 2 times; give it once");
    assertThat(json(bot.api("GET", "/hits?limit=1&limit=100", null, null), 400).get("error").asText())
        .contains("limit is given 2 times");
    assertThat(bot.userProperty("1", "balance").orElseThrow().asLong()).isEqualTo(5);

    JsonNode real =
        json(bot.api("POST", "/hits/" + hitId + "/replay?commit=true", null, null), 200);

    assertThat(real.get("dry_run").asBoolean()).isFalse();
    assertThat(real.get("answer").get("body").asText()).contains("balance 10");
    assertThat(bot.userProperty("1", "balance").orElseThrow().asLong()).isEqualTo(10);
    assertThat(bot.all("/messages")).hasSize(2);
    assertThat(scheduledRuns()).isEqualTo(scheduledBefore + 1);
    List<JsonNode> hits = bot.all("/hits");
    assertThat(hits).hasSize(2);
    assertThat(hits.get(0).get("id").asText()).isEqualTo(real.get("hit_id").asText());
    assertThat(hits.get(0).get("replay_of").asText()).isEqualTo(hitId);
  }

  /**
   * A body in the charset its Content-Type names is logged as the text the command read, and a
   * replay writes it back in that charset: the replay saves what the hit saved (it saved U+FFFD
   * garbage when the log read the bytes as UTF-8). A body cut inside a character ends before it.
   */
  @Test
  void bodyInAnotherCharset_isLoggedAsItsText_andReplaysAsTheHitRan() {
    bot.command("/save", "User.setProperty('name', options.params.name, 'string');"
        + " Bot.sendMessage('saved ' + options.params.name)");
    String save = bot.mint("{\"command\":\"/save\",\"user_id\":\"1\"}");
    for (String charset : List.of("windows-1251", "UTF-16", "ISO-8859-5")) {
      String name = "Иван " + charset;
      HttpResponse<String> hit =
          service.send(
              service.request(save)
                  .header("Content-Type", "application/x-www-form-urlencoded; charset=" + charset)
                  .POST(BodyPublishers.ofByteArray(
                      ("name=" + name).getBytes(java.nio.charset.Charset.forName(charset)))));
      assertThat(hit.body()).as(charset).contains("saved " + name);
      String hitId = bot.all("/hits").get(0).get("id").asText();
      JsonNode logged = json(bot.api("GET", "/hits/" + hitId, null, null), 200);
      assertThat(logged.get("request").get("body").asText()).as(charset).isEqualTo("name=" + name);

      JsonNode replay =
          json(bot.api("POST", "/hits/" + hitId + "/replay?commit=true", null, null), 200);
      assertThat(replay.get("answer").get("body").asText()).as(charset).contains("saved " + name);
      assertThat(bot.userProperty("1", "name").orElseThrow().asText()).as(charset).isEqualTo(name);
    }
    // 64 bytes: 31 two-byte letters, then a cut inside the 33rd character (the cap is 64 bytes).
    String letters = "ж".repeat(40);
    service.send(
        service.request(save).header("Content-Type", "text/plain; charset=utf-8")
            .POST(BodyPublishers.ofString("x" + letters)));
    JsonNode cut =
        json(bot.api("GET", "/hits/" + bot.all("/hits").get(0).get("id").asText(), null, null), 200);
    assertThat(cut.get("request").get("body").asText()).isEqualTo("x" + "ж".repeat(31));
    assertThat(cut.get("request").get("body_truncated").asBoolean()).isTrue();
  }

  /**
   * A committed replay queues its calls where the deployment's hits queue theirs (SQS in AWS,
   * which the bot API's function is given too), and a dry one queues none.
   */
  @Test
  void committedReplay_queuesItsCallsWhereHitsQueueTheirs_aDryOneQueuesNone() {
    List<HttpCall> queued = new CopyOnWriteArrayList<>();
    try (LocalService withQueue = new LocalService(newStore(), Map.of(), queued::addAll)) {
      BotClient shop = withQueue.createBot("Shop");
      shop.command(
          "/paid",
          "HTTP.post({ url: 'https://shop.example.com/paid', body: 'paid=' + content,"
              + " success: '/receipt' }); Bot.sendMessage('queued')");
      shop.command("/receipt", "Bot.sendMessage('receipt')");
      String paid = shop.mint("{\"command\":\"/paid\",\"user_id\":\"1\"}");
      assertThat(withQueue.send(withQueue.request(paid).POST(BodyPublishers.ofString("10")))
              .statusCode())
          .isEqualTo(200);
      assertThat(queued).hasSize(1);
      String hitId = shop.all("/hits").get(0).get("id").asText();

      JsonNode dry = json(shop.api("POST", "/hits/" + hitId + "/replay", null, null), 200);
      assertThat(dry.get("http_calls").get(0).get("url").asText())
          .isEqualTo("https://shop.example.com/paid");
      assertThat(queued).hasSize(1);

      json(shop.api("POST", "/hits/" + hitId + "/replay?commit=true", null, null), 200);
      assertThat(queued).hasSize(2);
      assertThat(queued.get(1).request().url()).isEqualTo("https://shop.example.com/paid");
      assertThat(queued.get(1).request().body()).isEqualTo("paid=10");
      assertThat(queued.get(1).id()).isNotEqualTo(queued.get(0).id());
      assertThat(withQueue.deployment.localCallQueue()).as("no in-process queue").isEmpty();
    }
  }

  @Test
  void repeatOfADelivery_isLogged_withTheAnswerItWasGiven() {
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> r =
          service.send(
              service.request(hook).header("Idempotency-Key", "order-77")
                  .POST(BodyPublishers.ofString("{\"amount\":5}")));
      assertThat(r.body()).contains("credited 5, balance 5");
    }

    List<JsonNode> hits = bot.all("/hits");
    assertThat(hits).hasSize(2);
    JsonNode repeat =
        json(bot.api("GET", "/hits/" + hits.get(0).get("id").asText(), null, null), 200);
    assertThat(repeat.get("answer").get("body").asText()).contains("credited 5, balance 5");
    assertThat(header(repeat.get("answer").get("headers"), "idempotent-replayed"))
        .isEqualTo("true");
    assertThat(repeat.get("messages")).isEmpty();
    assertThat(repeat.get("property_changes")).isEmpty();
    assertThat(bot.userProperty("1", "balance").orElseThrow().asLong()).isEqualTo(5);
  }

  private HttpResponse<String> deliver(String to, String token, String body) {
    return service.send(
        service.request(to).header("X-Shop-Token", token).header("Content-Type", "application/json")
            .POST(BodyPublishers.ofString(body)));
  }

  /**
   * A committed replay is the delivery its original was, though the logged request no longer
   * shows its id (a redacted header, a body cut at the log's cap): answered from the delivery's
   * record, not applied again, and each replay answers its own delivery's answer with its entry's
   * id.
   */
  @Test
  void committedReplayOfADelivery_isTheSameDelivery_evenWhenItsIdIsRedactedOrCut() {
    String byToken =
        bot.mint("{\"command\":\"/pay\",\"user_id\":\"1\",\"delivery_key\":\"header.X-Shop-Token\"}");
    assertThat(deliver(byToken, "D1", "{\"amount\":5}").body()).contains("credited 5, balance 5");
    assertThat(deliver(byToken, "D2", "{\"amount\":7}").body()).contains("credited 7, balance 12");
    String stripeEvent =
        "{\"id\":\"evt_1PXyz\",\"object\":\"event\",\"amount\":3,\"pad\":\"" + "x".repeat(100) + "\"}";
    assertThat(deliver(hook, "none", stripeEvent).body()).contains("credited 3, balance 15");
    List<JsonNode> originals = bot.all("/hits");
    assertThat(originals).hasSize(3);

    for (JsonNode original : originals) {
      JsonNode logged =
          json(bot.api("GET", "/hits/" + original.get("id").asText(), null, null), 200);
      assertThat(logged.get("delivery_id").asText()).isNotEmpty().doesNotContain("D1", "D2");
      JsonNode replay =
          json(
              bot.api(
                  "POST", "/hits/" + original.get("id").asText() + "/replay?commit=true", null,
                  null),
              200);
      assertThat(replay.get("answer").get("body").asText())
          .isEqualTo(logged.get("answer").get("body").asText());
      assertThat(header(replay.get("answer").get("headers"), "idempotent-replayed"))
          .isEqualTo("true");
      assertThat(replay.get("hit_id").asText()).isEqualTo(bot.all("/hits").get(0).get("id").asText());
    }
    assertThat(json(bot.api("GET", "/hits/" + originals.get(0).get("id").asText(), null, null), 200)
            .get("request").get("body_truncated").asBoolean())
        .isTrue();
    assertThat(bot.userProperty("1", "balance").orElseThrow().asLong()).isEqualTo(15);
    assertThat(bot.all("/messages")).hasSize(3);
  }

  /**
   * An entry written before entries kept their delivery id has it found in its logged request,
   * as far as that still shows it: its committed replay is still a repeat.
   */
  @Test
  void committedReplayOfAnEntryWithoutItsDeliveryId_findsItInTheLoggedRequest() {
    HttpResponse<String> first =
        service.send(
            service.request(hook).header("Idempotency-Key", "order-78")
                .POST(BodyPublishers.ofString("{\"amount\":5}")));
    assertThat(first.body()).contains("credited 5, balance 5");
    Store store = service.deployment.store();
    dev.botwebhooks.core.HitRecord logged =
        store.hit(bot.botId, bot.all("/hits").get(0).get("id").asText()).orElseThrow();
    com.fasterxml.jackson.databind.node.ObjectNode older = logged.detail().deepCopy();
    older.remove("delivery_id");
    String olderId =
        new dev.botwebhooks.core.IdGenerator(new java.security.SecureRandom())
            .timeOrderedId(logged.receivedAt());
    store.logHit(
        new dev.botwebhooks.core.HitRecord(
            olderId, logged.botId(), logged.hookId(), logged.status(), logged.receivedAt(),
            logged.expiresAt(), older),
        java.util.Optional.empty());

    JsonNode replay = json(bot.api("POST", "/hits/" + olderId + "/replay?commit=true", null, null), 200);

    assertThat(header(replay.get("answer").get("headers"), "idempotent-replayed")).isEqualTo("true");
    assertThat(bot.userProperty("1", "balance").orElseThrow().asLong()).isEqualTo(5);
  }

  private static String header(JsonNode headers, String name) {
    for (Map.Entry<String, JsonNode> h : headers.properties()) {
      if (h.getKey().equalsIgnoreCase(name)) {
        return h.getValue().asText();
      }
    }
    return null;
  }
}
