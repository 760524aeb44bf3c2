package dev.botwebhooks.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.core.HttpCall;
import dev.botwebhooks.core.HttpCallQueue;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.egress.EgressSettings;
import dev.botwebhooks.egress.TestServer;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.testing.MovableClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code HTTP.*} end to end (README "Outbound HTTP calls"): a hit's command queues a call, the
 * in-process executor makes it to a real server on 127.0.0.1 (reached through the allow list only)
 * and runs the callback as a committed run of the same bot and user. Run against each store.
 */
abstract class HttpCallScenarios {
  TestServer server;
  BotHarness bot;

  abstract Store newStore();

  @BeforeEach
  void setUp() throws IOException {
    server = new TestServer();
    bot = harness(EgressSettings.defaults());
    bot.user("1", "{\"telegramid\":1,\"first_name\":\"Ann\"}");
  }

  BotHarness harness(EgressSettings egress) {
    return new BotHarness(newStore(), Map.of(), egress.withAllowed(Set.of(server.hostPort())));
  }

  @AfterEach
  void tearDown() {
    server.close();
  }





  @Test
  void postJson_runsTheSuccessCommandOnceWithTheResponse_asTheSameUser() throws Exception {
    server.on(
        "/orders",
        ex -> {
          ex.getResponseHeaders().add("X-Reply", "yes");
          ex.getResponseHeaders().add("Set-Cookie", "sid=9; Path=/");
          TestServer.answer(ex, 201, "application/json", "{\"id\":\"O-7\"}");
        });
    bot.command(
        "/buy",
        "HTTP.post({ url: '" + server.url("/orders") + "', body: { qty: 2 },"
            + " headers: { 'X-Key': 'k1' }, success: '/onOrder', error: '/onFail', ref: 'A-1' });"
            + " Bot.sendMessage('queued');");
    bot.command(
        "/onOrder",
        "var o = JSON.parse(content); User.setProperty('order', o.id, 'string');"
            + " Bot.sendMessage(http_status + ' ' + o.id + ' ' + options.ref + ' '"
            + " + http_headers['x-reply'] + ' ' + cookies + ' ' + user.first_name);");
    bot.command("/onFail", "Bot.sendMessage('failed: ' + content);");
    String path = bot.mint("{\"command\":\"/buy\",\"user_id\":\"1\"}");

    assertThat(bot.answer(path)).isEqualTo("queued");
    bot.settleCalls();

    assertThat(server.received).hasSize(1);
    TestServer.Received got = server.received.get(0);
    assertThat(got.method()).isEqualTo("POST");
    assertThat(Json.parse(got.body())).isEqualTo(Json.parse("{\"qty\":2}"));
    assertThat(got.header("content-type")).isEqualTo("application/json");
    assertThat(got.header("x-key")).isEqualTo("k1");
    assertThat(bot.userMessages("1")).containsExactly("201 O-7 A-1 yes sid=9 Ann", "queued");
    assertThat(bot.get("/users/1/properties/order").get("value").asText()).isEqualTo("O-7");
  }

  @Test
  void formPostAndGetWithParams_reachTheServerAsWritten() throws Exception {
    server.on("/f", ex -> TestServer.answer(ex, 200, "text/plain", "form ok"));
    server.on("/g", ex -> TestServer.answer(ex, 200, "text/plain", "get ok"));
    bot.command(
        "/send",
        "HTTP.post({ url: '" + server.url("/f") + "', body: { a: 1, b: 'x y' },"
            + " headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, success: '/ok' });"
            + " HTTP.get({ url: '" + server.url("/g") + "', params: { q: 'cat' }, success: '/ok' });");
    bot.command("/ok", "Bot.sendMessage(content);");
    bot.hit(bot.mint("{\"command\":\"/send\",\"user_id\":\"1\"}"));
    bot.settleCalls();

    assertThat(server.received)
        .extracting(TestServer.Received::uri)
        .containsExactlyInAnyOrder("/f", "/g?q=cat");
    TestServer.Received form =
        server.received.stream().filter(r -> r.uri().equals("/f")).findFirst().orElseThrow();
    assertThat(form.body()).isEqualTo("a=1&b=x+y");
    assertThat(form.header("content-type")).isEqualTo("application/x-www-form-urlencoded");
    assertThat(bot.userMessages("1")).containsExactlyInAnyOrder("form ok", "get ok");
  }

  @Test
  void aFailedRunThatQueuedACall_sendsNothing() throws Exception {
    server.on("/x", ex -> TestServer.answer(ex, 200, "text/plain", "should not happen"));
    bot.command(
        "/oops",
        "HTTP.post({ url: '" + server.url("/x") + "', success: '/ok' }); throw new Error('boom');");
    bot.command("/ok", "Bot.sendMessage(content);");

    assertThat(bot.hit(bot.mint("{\"command\":\"/oops\",\"user_id\":\"1\"}")).status())
        .isEqualTo(503);
    bot.settleCalls();

    assertThat(server.received).isEmpty();
    assertThat(bot.userMessages("1")).isEmpty();
  }

  /** The calls queued by a harness made with {@link #onAQueueThatHolds}, delivered by hand. */
  private final List<HttpCall> held = new CopyOnWriteArrayList<>();

  private final MovableClock clock = MovableClock.running();

  /** A bot on {@link #clock} whose runs' calls wait in {@link #held} until a test delivers them. */
  private BotHarness onAQueueThatHolds() {
    return onAQueue(held::addAll);
  }

  private BotHarness onAQueue(HttpCallQueue queue) {
    BotHarness harness =
        new BotHarness(
            newStore(), EgressSettings.defaults().withAllowed(Set.of(server.hostPort())), clock,
            queue);
    harness.user("1", "{\"telegramid\":1,\"first_name\":\"Ann\"}");
    return harness;
  }

  /** Past a call's due time: the script time limit, then a minute (README "Outbound HTTP calls"). */
  private static final Duration PAST_DUE = Duration.ofSeconds(2 + 60 + 1);

  @Test
  void aRedeliveredCall_isMadeOnce() throws Exception {
    server.on("/once", ex -> TestServer.answer(ex, 200, "text/plain", "made"));
    BotHarness bot = onAQueueThatHolds();
    bot.command(
        "/pay", "HTTP.get({ url: '" + server.url("/once") + "', success: '/ok' });"
            + " Bot.sendMessage('queued');");
    bot.command("/ok", "Bot.sendMessage('callback ' + content);");
    assertThat(bot.answer(bot.mint("{\"command\":\"/pay\",\"user_id\":\"1\"}")))
        .isEqualTo("queued");
    assertThat(held).hasSize(1);
    HttpCall call = held.get(0);

    assertThat(bot.deployment.httpCalls().execute(call).result()).isEqualTo("success");
    assertThat(bot.deployment.httpCalls().execute(call).result()).isEqualTo("redelivery");
    clock.advance(PAST_DUE);
    bot.deployment.httpCalls().makeDueCalls(Optional.empty());

    assertThat(server.received).hasSize(1);
    assertThat(bot.userMessages("1")).containsExactly("callback made", "queued");
  }

  /**
   * A call whose queue message never came (the process ended between the commit and the queue,
   * the message was lost) is kept by its run's commit: a poll makes it once it is due, once, and
   * a message that comes after that finds it made.
   */
  @Test
  void aCallTheQueueNeverDelivered_isMadeOnceByAPoll_onceItIsDue() throws Exception {
    server.on("/notify", ex -> TestServer.answer(ex, 200, "text/plain", "noted"));
    BotHarness bot = onAQueueThatHolds();
    bot.command(
        "/paid",
        "User.setProperty('paid', true, 'boolean');"
            + " HTTP.post({ url: '" + server.url("/notify") + "', body: { order: 7 },"
            + " success: '/ok', error: '/err', ref: 'A-1' });"
            + " Bot.sendMessage('paid');");
    bot.command("/ok", "Bot.sendMessage(http_status + ' ' + content + ' ' + options.ref);");
    bot.command("/err", "Bot.sendMessage('error ' + content);");
    assertThat(bot.answer(bot.mint("{\"command\":\"/paid\",\"user_id\":\"1\"}")))
        .isEqualTo("paid");

    bot.deployment.httpCalls().makeDueCalls(Optional.empty());
    assertThat(server.received).as("not due yet: the queue may still deliver it").isEmpty();
    clock.advance(PAST_DUE);
    // An invocation with 10 s left claims no call that may take longer (a request at
    // HTTP_TIMEOUT_MS, the callback's time, the store calls): it would be cut off, and lost.
    assertThat(bot.deployment.httpCalls().makeDueCalls(Optional.of(clock.instant().plusSeconds(10))))
        .isZero();
    assertThat(server.received).isEmpty();
    bot.deployment.httpCalls().makeDueCalls(Optional.empty());
    bot.deployment.httpCalls().makeDueCalls(Optional.empty());
    assertThat(bot.deployment.httpCalls().execute(held.get(0)).result())
        .as("the message, late")
        .isEqualTo("redelivery");

    assertThat(server.received).hasSize(1);
    assertThat(Json.parse(server.received.get(0).body())).isEqualTo(Json.parse("{\"order\":7}"));
    assertThat(bot.userMessages("1")).containsExactly("200 noted A-1", "paid");
  }

  /**
   * Each call is an item of its run's commit: 80 properties and 10 calls fill the room a run has
   * (MAX_PROPERTIES_PER_RUN), and the commit keeps them all, on DynamoDB in one transaction; one
   * property more fails the run naming the limit, with nothing applied, kept or queued.
   */
  @Test
  void callsRideInTheCommitWithProperties_uptoTheRoomItHas() throws Exception {
    BotHarness bot = onAQueueThatHolds();
    bot.command(
        "/pay",
        String.join(
            "\n",
            "var n = Number(params);",
            "for (var i = 0; i < n; i++) User.setProperty('p' + i, i, 'integer');",
            "for (var j = 0; j < 10; j++)",
            "  HTTP.post({ url: '" + server.url("/n") + "', body: { j: j }, success: '/ok' });",
            "Bot.sendMessage('paid ' + n);"));
    String full = bot.mint("{\"command\":\"/pay 80\",\"user_id\":\"5\"}");
    String over = bot.mint("{\"command\":\"/pay 81\",\"user_id\":\"6\"}");

    assertThat(bot.answer(full)).isEqualTo("paid 80");
    assertThat(held).hasSize(10);
    assertThat(keptCalls(bot))
        .extracting(HttpCall::id)
        .containsExactlyInAnyOrderElementsOf(held.stream().map(HttpCall::id).toList());

    assertThat(bot.hit(over).status()).isEqualTo(503);
    assertThat(bot.lastError().get("limit").asText()).isEqualTo("MAX_PROPERTIES_PER_RUN");
    assertThat(bot.userProperty("6", "p0")).isEmpty();
    assertThat(held).hasSize(10);
    assertThat(keptCalls(bot)).hasSize(10);
  }

  /**
   * A call's bytes count with the properties' in what one commit may write (DynamoDB takes 4 MB in
   * one transaction): past it, the run fails naming the limit and queues nothing.
   */
  @Test
  void callBytes_countWithPropertyBytes_inWhatARunMayWrite() throws Exception {
    BotHarness bot = onAQueueThatHolds();
    bot.command(
        "/big",
        String.join(
            "\n",
            "var big = new Array(60001).join('x');",
            "for (var i = 0; i < Number(params); i++) Bot.setProperty('p' + i, big, 'string');",
            "HTTP.post({ url: '" + server.url("/n") + "', body: new Array(30001).join('y') });",
            "Bot.sendMessage('fits');"));

    assertThat(bot.hit(bot.mint("{\"command\":\"/big 52\"}")).status()).isEqualTo(503);
    assertThat(bot.lastError().get("limit").asText()).isEqualTo("MAX_PROPERTY_BYTES_PER_RUN");
    assertThat(bot.lastError().get("message").asText()).contains("HTTP call");
    assertThat(held).isEmpty();
    assertThat(keptCalls(bot)).isEmpty();
  }

  /** The calls the store keeps for this test's bot (the table may be shared with others). */
  private static List<HttpCall> keptCalls(BotHarness bot) {
    return bot.deployment.store().dueCalls(java.time.Instant.parse("3000-01-01T00:00:00Z"), 1000)
        .stream()
        .filter(c -> c.botId().equals(bot.botId))
        .toList();
  }

  /** A queue that refuses the calls fails nothing: the hit answers, a poll makes them later. */
  @Test
  void aQueueThatRefuses_leavesTheCallsKept_forAPoll() throws Exception {
    server.on("/a", ex -> TestServer.answer(ex, 200, "text/plain", "a"));
    server.on("/b", ex -> TestServer.answer(ex, 200, "text/plain", "b"));
    BotHarness bot =
        onAQueue(
            calls -> {
              throw new IllegalStateException("the queue is down");
            });
    bot.command(
        "/two",
        "HTTP.get({ url: '" + server.url("/a") + "', success: '/ok' });"
            + " HTTP.get({ url: '" + server.url("/b") + "', success: '/ok' });"
            + " Bot.sendMessage('sent');");
    bot.command("/ok", "Bot.sendMessage(content);");

    assertThat(bot.answer(bot.mint("{\"command\":\"/two\",\"user_id\":\"1\"}")))
        .isEqualTo("sent");
    assertThat(server.received).isEmpty();
    clock.advance(PAST_DUE);
    bot.deployment.httpCalls().makeDueCalls(Optional.empty());

    assertThat(server.received).extracting(TestServer.Received::uri).containsExactly("/a", "/b");
    assertThat(bot.userMessages("1")).containsExactly("b", "a", "sent");
    assertThat(bot.lastError()).as("nothing failed").isNull();
  }

  @Test
  void aRefusedCall_runsTheErrorCommandWithTheReason_andLogsIt() throws Exception {
    // A name for loopback, not the allow-listed host:port: refused before any connection.
    bot.command(
        "/probe", "HTTP.get({ url: 'http://localhost/admin', success: '/ok', error: '/err' });");
    bot.command("/ok", "Bot.sendMessage('reached');");
    bot.command("/err", "Bot.sendMessage('error: ' + content + ' status ' + http_status);");
    bot.hit(bot.mint("{\"command\":\"/probe\",\"user_id\":\"1\"}"));
    bot.settleCalls();

    assertThat(server.received).isEmpty();
    List<String> messages = bot.userMessages("1");
    assertThat(messages).hasSize(1);
    assertThat(messages.get(0)).startsWith("error: ").contains("loopback").endsWith("status 0");
    JsonNode error = bot.lastError();
    assertThat(error.get("message").asText()).contains("HTTP.get failed").contains("loopback");
  }

  @Test
  void callsPerRun_failTheRunNamingTheLimit_andSendNothing() throws Exception {
    bot = harness(new EgressSettings(Set.of(), Duration.ofSeconds(5), 65536, 1 << 20, 2, 60));
    server.on("/n", ex -> TestServer.answer(ex, 200, "text/plain", "n"));
    bot.command(
        "/many", "for (var i = 0; i < 3; i++) { HTTP.get({ url: '" + server.url("/n") + "' }); }");

    assertThat(bot.hit(bot.mint("{\"command\":\"/many\"}")).status()).isEqualTo(503);
    bot.settleCalls();

    assertThat(bot.lastError().get("limit").asText()).isEqualTo(EgressSettings.HTTP_CALLS_PER_RUN);
    assertThat(server.received).isEmpty();
  }

  /**
   * The call over the bot's rate is refused, named in the error log, and runs no error command:
   * an error command that queues calls again would otherwise start a chain of refusals that only
   * grows (each refused call's callback queuing more).
   */
  @Test
  void callsPerBotPerMinute_refuseTheCallOverTheLimit_namingIt_withoutItsErrorCommand()
      throws Exception {
    bot = harness(new EgressSettings(Set.of(), Duration.ofSeconds(5), 65536, 1 << 20, 5, 1));
    bot.user("1", "{\"telegramid\":1,\"first_name\":\"Ann\"}");
    server.on("/n", ex -> TestServer.answer(ex, 200, "text/plain", "n"));
    String call = "HTTP.get({ url: '" + server.url("/n") + "', success: '/ok', error: '/err' });";
    bot.command("/two", call + " " + call);
    bot.command("/ok", "Bot.sendMessage('ok');");
    bot.command("/err", "Bot.sendMessage('refused'); " + call + " " + call);
    bot.hit(bot.mint("{\"command\":\"/two\",\"user_id\":\"1\"}"));
    bot.settleCalls();

    assertThat(server.received).hasSize(1);
    assertThat(bot.userMessages("1")).containsExactly("ok");
    assertThat(bot.lastError().get("limit").asText())
        .isEqualTo(EgressSettings.HTTP_CALLS_PER_BOT_PER_MINUTE);
  }

  @Test
  void aResponseOverTheSizeCap_runsTheErrorCommand() throws Exception {
    bot = harness(new EgressSettings(Set.of(), Duration.ofSeconds(5), 65536, 100, 5, 60));
    bot.user("1", "{\"telegramid\":1,\"first_name\":\"Ann\"}");
    server.on("/big", ex -> TestServer.answer(ex, 200, "text/plain", "z".repeat(500)));
    bot.command(
        "/big", "HTTP.get({ url: '" + server.url("/big") + "', success: '/ok', error: '/err' });");
    bot.command("/ok", "Bot.sendMessage('ok');");
    bot.command("/err", "Bot.sendMessage('too big: ' + content);");
    bot.hit(bot.mint("{\"command\":\"/big\",\"user_id\":\"1\"}"));
    bot.settleCalls();

    assertThat(bot.userMessages("1")).singleElement().asString().startsWith("too big: ");
    assertThat(bot.lastError().get("limit").asText())
        .isEqualTo(EgressSettings.HTTP_MAX_RESPONSE_BYTES);
  }

  // Flows in the shape of real Bots.Business exports that stop at HTTP.post without it, against
  // a stand-in for the service they call.

  /** A points transfer that reports its result back to the caller's URL (no callbacks). */
  @Test
  void pointsTransfer_reportsBackToTheCallersWebhookUrl() throws Exception {
    server.on("/report", ex -> TestServer.answer(ex, 200, "text/plain", "thanks"));
    bot.command(
        "onTransferRequest",
        String.join(
            "\n",
            "let json = JSON.parse(content);",
            "function sendResult() { HTTP.post({ url: json.webhookUrl, body: json }) }",
            "json.owner = user;",
            "let points = User.getProperty('points', 0);",
            "if (json.secret != User.getProperty('transferSecret')) {",
            "  json.error = { code: '14', title: 'Invalid secret' };",
            "  sendResult(); return;",
            "}",
            "User.setProperty('points', points - json.amount, 'integer');",
            "json.owner.points = points - json.amount;",
            "sendResult();",
            "Bot.sendMessage('Transfer of ' + json.amount);"));
    bot.ok("PUT", "/users/1/properties/points", "application/json", "{\"value\":10,\"type\":\"integer\"}");
    bot.ok("PUT", "/users/1/properties/transferSecret", "application/json", "{\"value\":\"s3\",\"type\":\"string\"}");
    String path = bot.mint("{\"command\":\"onTransferRequest\",\"user_id\":\"1\"}");
    String request =
        "{\"webhookUrl\":\"" + server.url("/report") + "\",\"secret\":\"%s\",\"amount\":3}";

    for (String secret : List.of("s3", "nope")) {
      assertThat(
              bot.hit("POST", path, String.format(request, secret),
                  "Content-Type", "application/json").status())
          .isEqualTo(200);
    }
    bot.settleCalls();

    assertThat(server.received).hasSize(2);
    List<JsonNode> reports = new ArrayList<>();
    for (TestServer.Received r : server.received) {
      assertThat(r.header("content-type")).isEqualTo("application/json");
      reports.add(Json.parse(r.body()));
    }
    JsonNode ok = reports.stream().filter(r -> !r.has("error")).findFirst().orElseThrow();
    JsonNode refused = reports.stream().filter(r -> r.has("error")).findFirst().orElseThrow();
    assertThat(ok.path("owner").path("points").asInt()).isEqualTo(7);
    assertThat(ok.path("owner").path("first_name").asText()).isEqualTo("Ann");
    assertThat(refused.path("error").path("code").asText()).isEqualTo("14");
    assertThat(bot.get("/users/1/properties/points").get("value").asInt()).isEqualTo(7);
  }

  /**
   * A payment completion: the processor's callback reaches a library handler, which runs the
   * completion command; that asks the processor's API through the library's HTTP.post, whose
   * success handler runs the command named in its params with the parsed answer.
   */
  @Test
  void paymentCompletion_asksTheProcessorsApiAndReportsThePayment() throws Exception {
    server.on(
        "/merchants/inquiry",
        ex ->
            TestServer.answer(
                ex, 200, "application/json",
                "{\"result\":100,\"transaction\":{\"amount\":5,\"coin\":\"USDT\"}}"));
    bot.library(
        "PayLib",
        String.join(
            "\n",
            "let prefix = 'paylib';",
            "let API_URL = '" + server.url("/") + "';",
            "function apiCall(options) {",
            "  if (!options.fields) options.fields = {};",
            "  options.fields.merchant = Bot.getProperty(prefix + 'merchantkey');",
            "  HTTP.post({ url: API_URL + options.url, body: options.fields,",
            "    headers: { 'cache-control': 'no-cache', 'Content-type': 'application/json',",
            "      'Accept': 'application/json' },",
            "    success: prefix + 'onApiResponse ' + options.onSuccess,",
            "    error: prefix + 'onApiResponseError' });",
            "}",
            "function onApiResponse() { Bot.runCommand(params, JSON.parse(content)); }",
            "function onApiResponseError() { throw content; }",
            "function onCallback() { Bot.run({ command: params, options: JSON.parse(content) }); }",
            "publish({ apiCall: apiCall });",
            "on(prefix + 'onApiResponse', onApiResponse);",
            "on(prefix + 'onApiResponseError', onApiResponseError);",
            "on(prefix + 'onCallback', onCallback);"));
    bot.command(
        "/onCompletePayment",
        "if (!options) return;\nif (options.result == 100)\n"
            + "  Libs.PayLib.apiCall({ url: 'merchants/inquiry', fields: { trackId: options.trackId },"
            + " onSuccess: '/onTxSuccess' });");
    bot.command(
        "/onTxSuccess",
        "if (options.result == 100) Bot.sendMessage(options.transaction.amount + ' '"
            + " + options.transaction.coin + ' paid successfully!');");
    bot.ok("PUT", "/properties/paylibmerchantkey", "application/json", "{\"value\":\"M-KEY\",\"type\":\"string\"}");
    String path =
        bot.mint("{\"command\":\"paylibonCallback /onCompletePayment\",\"user_id\":\"1\"}");

    assertThat(
            bot.hit("POST", path, "{\"result\":100,\"trackId\":\"T-1\"}",
                "Content-Type", "application/json").status())
        .isEqualTo(200);
    bot.settleCalls();

    assertThat(server.received).hasSize(1);
    assertThat(Json.parse(server.received.get(0).body()))
        .isEqualTo(Json.parse("{\"trackId\":\"T-1\",\"merchant\":\"M-KEY\"}"));
    assertThat(bot.userMessages("1")).containsExactly("5 USDT paid successfully!");
  }
}
