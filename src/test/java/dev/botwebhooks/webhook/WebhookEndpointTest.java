package dev.botwebhooks.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.Bot;
import dev.botwebhooks.core.ErrorEntry;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.MintRequest;
import dev.botwebhooks.core.Minter;
import dev.botwebhooks.core.OutboxEntry;
import dev.botwebhooks.core.PageRequest;
import dev.botwebhooks.core.PropertyKey;
import dev.botwebhooks.core.PropertyType;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.core.RunResult;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.core.StoreUnavailableException;
import dev.botwebhooks.core.Webhook;
import dev.botwebhooks.http.Headers;
import dev.botwebhooks.http.HttpRequest;
import dev.botwebhooks.http.HttpResponse;
import dev.botwebhooks.http.UrlEncoded;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.store.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookEndpointTest {
  private static final String BOT = "bot1";
  private static final String BASE = "https://api.example.com";

  private final MemoryStore store = new MemoryStore();
  private final IdGenerator ids = new IdGenerator(new SecureRandom());
  private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:10Z"), ZoneOffset.UTC);
  private final Minter minter = new Minter(store, ids, clock);
  private final ScriptedRuntime runtime = new ScriptedRuntime();
  private Settings settings = Settings.defaults();

  @BeforeEach
  void createBot() {
    store.createBot(new Bot(BOT, "Cat bot", "hash", 1, clock.instant()));
    store.putCommand(BOT, "/onWebhook", List.of(), "// js");
  }

  private WebhookEndpoint endpoint() {
    return new WebhookEndpoint(store, runtime, minter, ids, Clock.systemUTC(), settings);
  }

  private Webhook mint(String command, String userId, String content, String redirect) {
    return minter
        .mint(
            BOT,
            new MintRequest(
                command,
                Optional.ofNullable(content),
                Optional.ofNullable(userId),
                Optional.ofNullable(redirect),
                Optional.empty()),
            BASE)
        .webhook();
  }

  private static HttpRequest request(String method, String path, String body, String... headers) {
    Headers.Builder h = Headers.builder();
    for (int i = 0; i < headers.length; i += 2) {
      h.add(headers[i], headers[i + 1]);
    }
    String rawQuery = "";
    int q = path.indexOf('?');
    if (q >= 0) {
      rawQuery = path.substring(q + 1);
      path = path.substring(0, q);
    }
    return new HttpRequest(
        method,
        path,
        rawQuery,
        UrlEncoded.parse(rawQuery),
        h.build(),
        body.getBytes(StandardCharsets.UTF_8),
        "203.0.113.7",
        "req-1",
        BASE);
  }

  private static JsonNode json(HttpResponse response) throws Exception {
    return Json.parse(response.body());
  }

  private static RunResult.Completed said(String... texts) {
    List<RunResult.Output> outputs = new ArrayList<>();
    for (String t : texts) {
      outputs.add(new RunResult.Output.Message(t, null));
    }
    return new RunResult.Completed(outputs, Optional.empty(), List.of(), 1, texts.length);
  }

  @Test
  void hit_get_answersLastMessageAsJson() throws Exception {
    runtime.on("/onWebhook", (r, h) -> said("first", "Hello in browser!"));
    Webhook hook = mint("/onWebhook", "42", null, null);

    HttpResponse response = endpoint().handle(request("GET", "/hooks/" + hook.id(), ""));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.headers()).containsEntry("Content-Type", "application/json");
    assertThat(response.headers()).containsEntry("X-Content-Type-Options", "nosniff");
    assertThat(json(response).get("answer").asText()).isEqualTo("Hello in browser!");
    List<OutboxEntry> outbox =
        store.messages(BOT, Optional.of("42"), PageRequest.first(10)).items();
    assertThat(outbox).extracting(OutboxEntry::text).containsExactly("Hello in browser!", "first");
    assertThat(outbox).allSatisfy(e -> assertThat(e.hookId()).isEqualTo(hook.id()));
  }

  @Test
  void hit_noMessage_answersNull() throws Exception {
    runtime.on("/onWebhook", (r, h) -> said());
    Webhook hook = mint("/onWebhook", null, null, null);

    HttpResponse response = endpoint().handle(request("POST", "/hooks/" + hook.id(), "x"));

    assertThat(response.status()).isEqualTo(200);
    assertThat(json(response).get("answer").isNull()).isTrue();
  }

  @Test
  void hit_hookWithRedirect_returns302ToTarget() {
    runtime.on("/onWebhook", (r, h) -> said("seen"));
    Webhook hook = mint("/onWebhook", "1", "Did you see the cat?", "https://cataas.com/cat");

    HttpResponse response = endpoint().handle(request("GET", "/hooks/" + hook.id(), ""));

    assertThat(response.status()).isEqualTo(302);
    assertThat(response.headers()).containsEntry("Location", "https://cataas.com/cat");
  }

  @Test
  void hit_render_answersPageWithMimeType() {
    runtime.on(
        "/onWebhook",
        (r, h) ->
            new RunResult.Completed(
                List.of(),
                Optional.of(new RunResult.Rendered("<b>hi</b>", "text/html")),
                List.of(),
                1,
                0));
    Webhook hook = mint("/onWebhook", null, null, null);

    HttpResponse response = endpoint().handle(request("GET", "/hooks/" + hook.id(), ""));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.headers()).containsEntry("Content-Type", "text/html; charset=utf-8");
    assertThat(response.body()).isEqualTo("<b>hi</b>");
  }

  @Test
  void hit_commandFails_returns503AndLogsErrorWithoutDetailsToCaller() throws Exception {
    runtime.on(
        "/onWebhook",
        (r, h) -> {
          h.setProperty(Optional.empty(), "half", new PropertyValue(PropertyType.INTEGER, IntNode.valueOf(1)));
          return new RunResult.Failed("Error on webhook", Optional.empty());
        });
    Webhook hook = mint("/onWebhook", null, null, null);

    HttpResponse response = endpoint().handle(request("GET", "/hooks/" + hook.id(), ""));

    assertThat(response.status()).isEqualTo(503);
    JsonNode body = json(response);
    assertThat(body.get("error").asText()).isEqualTo("command failed");
    assertThat(body.get("request_id").asText()).isEqualTo("req-1");
    assertThat(response.body()).doesNotContain("Error on webhook");
    List<ErrorEntry> errors = store.errors(BOT, PageRequest.first(10)).items();
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).message()).isEqualTo("Error on webhook");
    assertThat(errors.get(0).hookId()).isEqualTo(hook.id());
    assertThat(errors.get(0).requestId()).isEqualTo("req-1");
    assertThat(store.property(PropertyKey.ofBot(BOT, "half"))).isEmpty();
  }

  /** A hook of /onWebhook that expires 5 s after the test's clock. */
  private Webhook expiringIn5s() {
    return minter
        .mint(
            BOT,
            new MintRequest(
                "/onWebhook", Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(5L)),
            BASE)
        .webhook();
  }

  /**
   * A provider's retry of a delivery that an expired hook applied while it was live is answered
   * what it was, not 404 (README "Reliability"); any other hit of it runs nothing and is a 404.
   */
  @Test
  void expiredHook_answersARepeatOfADeliveryItApplied_andNothingElse() throws Exception {
    runtime.on("/onWebhook", (r, h) -> said("paid"));
    Webhook hook = expiringIn5s();
    WebhookEndpoint live = new WebhookEndpoint(store, runtime, minter, ids, clock, settings);
    WebhookEndpoint later =
        new WebhookEndpoint(
            store, runtime, minter, ids, Clock.offset(clock, Duration.ofSeconds(6)), settings);

    HttpResponse first =
        live.handle(request("POST", "/hooks/" + hook.id(), "{}", "Idempotency-Key", "pay-1"));
    HttpResponse retried =
        later.handle(request("POST", "/hooks/" + hook.id(), "{}", "Idempotency-Key", "pay-1"));
    HttpResponse other =
        later.handle(request("POST", "/hooks/" + hook.id(), "{}", "Idempotency-Key", "pay-2"));
    HttpResponse plain = later.handle(request("GET", "/hooks/" + hook.id(), ""));

    assertThat(first.status()).isEqualTo(200);
    assertThat(retried.status()).isEqualTo(200);
    assertThat(retried.body()).isEqualTo(first.body());
    assertThat(retried.headers()).containsEntry("Idempotent-Replayed", "true");
    assertThat(List.of(other.status(), plain.status())).containsExactly(404, 404);
    assertThat(runtime.runs.get()).isEqualTo(1);
  }

  @Test
  void hit_unknownRevokedOrExpired_allAnswer404Alike() throws Exception {
    runtime.on("/onWebhook", (r, h) -> said("x"));
    Webhook revoked = mint("/onWebhook", null, null, null);
    store.revokeWebhook(BOT, revoked.id());
    Webhook expired = expiringIn5s();
    settings = Settings.defaults();
    WebhookEndpoint later =
        new WebhookEndpoint(
            store, runtime, minter, ids,
            Clock.offset(clock, Duration.ofSeconds(6)), settings);
    HttpResponse unknown =
        endpoint().handle(request("GET", "/hooks/AAAAAAAAAAAAAAAAAAAAAA", ""));
    HttpResponse gone = endpoint().handle(request("GET", "/hooks/" + revoked.id(), ""));
    HttpResponse old = later.handle(request("GET", "/hooks/" + expired.id(), ""));

    for (HttpResponse r : List.of(unknown, gone, old)) {
      assertThat(r.status()).isEqualTo(404);
      assertThat(json(r).get("error").asText()).isEqualTo("webhook not found");
    }
    assertThat(runtime.runs.get()).isZero();
  }

  @Test
  void hit_otherMethod_returns405WithAllow() {
    Webhook hook = mint("/onWebhook", null, null, null);
    for (String method : List.of("PUT", "DELETE", "PATCH", "OPTIONS", "HEAD")) {
      HttpResponse response = endpoint().handle(request(method, "/hooks/" + hook.id(), ""));
      assertThat(response.status()).isEqualTo(405);
      assertThat(response.headers()).containsEntry("Allow", "GET, POST");
    }
    assertThat(runtime.runs.get()).isZero();
  }

  @Test
  void hit_fetchedAsAServiceWorkersScript_returns403WithoutRunning() throws Exception {
    Webhook hook = mint("/onWebhook", null, null, null);

    HttpResponse response =
        endpoint().handle(request("GET", "/hooks/" + hook.id(), "", "Service-Worker", "script"));

    assertThat(response.status()).isEqualTo(403);
    assertThat(json(response).path("error").asText()).contains("service worker");
    assertThat(runtime.runs.get()).isZero();
  }

  @Test
  void hit_logLine_namesOnlyAWellFormedHookId() throws Exception {
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    WebhookEndpoint logged =
        new WebhookEndpoint(
            new HitService(store, runtime, minter, ids, Clock.systemUTC(), settings),
            settings,
            new dev.botwebhooks.oplog.OperatorLog(
                dev.botwebhooks.oplog.OperatorLog.WEBHOOK_FUNCTION, lines::add,
                Clock.systemUTC()));
    Webhook hook = mint("/onWebhook", null, null, null);

    assertThat(logged.handle(request("GET", "/hooks/" + "a".repeat(60_000), "")).status())
        .isEqualTo(404);
    logged.handle(request("PUT", "/hooks/" + hook.id(), ""));

    assertThat(lines).hasSize(2);
    assertThat(Json.parse(lines.get(0)).get("hook_id").isNull()).isTrue();
    assertThat(lines.get(0).length()).isLessThan(2_000);
    assertThat(Json.parse(lines.get(1)).get("hook_id").asText()).isEqualTo(hook.id());
  }

  @Test
  void hit_bodyOverLimit_returns413BeforeRunning() {
    settings = Settings.defaults().withLimits(limitsWith(10, 600));
    Webhook hook = mint("/onWebhook", null, null, null);

    HttpResponse response =
        endpoint().handle(request("POST", "/hooks/" + hook.id(), "12345678901"));

    assertThat(response.status()).isEqualTo(413);
    assertThat(runtime.runs.get()).isZero();
  }

  @Test
  void hit_overRateLimit_returns429WithRetryAfter_unlessAllowlisted() {
    runtime.on("/onWebhook", (r, h) -> said("ok"));
    settings = Settings.defaults().withLimits(limitsWith(1000, 2));
    Webhook hook = mint("/onWebhook", null, null, null);
    WebhookEndpoint endpoint = endpoint();

    assertThat(endpoint.handle(request("GET", "/hooks/" + hook.id(), "")).status()).isEqualTo(200);
    assertThat(endpoint.handle(request("GET", "/hooks/" + hook.id(), "")).status()).isEqualTo(200);
    HttpResponse third = endpoint.handle(request("GET", "/hooks/" + hook.id(), ""));
    assertThat(third.status()).isEqualTo(429);
    assertThat(Long.parseLong(third.headers().get("Retry-After"))).isBetween(1L, 60L);

    Settings allow =
        new Settings(
            "t", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            "198.51.100.0/24, 203.0.113.7", limitsWith(1000, 2));
    WebhookEndpoint allowed = new WebhookEndpoint(store, runtime, minter, ids, Clock.systemUTC(), allow);
    for (int i = 0; i < 5; i++) {
      assertThat(allowed.handle(request("GET", "/hooks/" + hook.id(), "")).status())
          .isEqualTo(200);
    }
  }

  @Test
  void hit_malformedHookIds_countTowardsTheRateLimit() {
    runtime.on("/onWebhook", (r, h) -> said("ok"));
    settings = Settings.defaults().withLimits(limitsWith(1000, 2));
    Webhook hook = mint("/onWebhook", null, null, null);
    WebhookEndpoint endpoint = endpoint();

    assertThat(endpoint.handle(request("GET", "/hooks/x", "")).status()).isEqualTo(404);
    assertThat(endpoint.handle(request("GET", "/hooks/a.b", "")).status()).isEqualTo(404);
    HttpResponse third = endpoint.handle(request("GET", "/hooks/" + hook.id(), ""));

    assertThat(third.status()).isEqualTo(429);
    assertThat(runtime.runs.get()).isZero();
  }

  @Test
  void hit_options_mergeQueryPathAndJsonBody_bodyWins() {
    List<RunResultCapture> seen = new ArrayList<>();
    runtime.on(
        "/onWebhook",
        (r, h) -> {
          seen.add(new RunResultCapture(r.content(), r.options(), r.message()));
          return said("ok");
        });
    Webhook hook = mint("/onWebhook /done", "7", "stored", null);

    endpoint()
        .handle(
            request(
                "POST",
                "/hooks/" + hook.id() + "&task_id=5?a=1&b=2",
                "{\"b\":\"body\",\"n\":3}",
                "Content-Type", "application/json",
                "X-Hmac", "abc"));

    RunResultCapture c = seen.get(0);
    assertThat(c.content).isEqualTo("{\"b\":\"body\",\"n\":3}");
    assertThat(c.message).isEqualTo("/onWebhook /done");
    JsonNode params = c.options.get("params");
    assertThat(params.get("a").asText()).isEqualTo("1");
    assertThat(params.get("b").asText()).isEqualTo("body");
    assertThat(params.get("n").asInt()).isEqualTo(3);
    assertThat(params.get("task_id").asText()).isEqualTo("5");
    assertThat(c.options.get("method").asText()).isEqualTo("POST");
    assertThat(c.options.get("ip").asText()).isEqualTo("203.0.113.7");
    assertThat(c.options.get("url").asText())
        .isEqualTo(BASE + "/hooks/" + hook.id() + "&task_id=5?a=1&b=2");
    assertThat(c.options.get("headers").get("X-Hmac").asText()).isEqualTo("abc");
  }

  @Test
  void hit_emptyBody_usesStoredContent_thenEmptyString() {
    List<String> contents = new ArrayList<>();
    runtime.on("/onWebhook", (r, h) -> {
      contents.add(r.content());
      return said();
    });
    Webhook withContent = mint("/onWebhook", null, "Did you see the cat?", null);
    Webhook without = mint("/onWebhook", null, null, null);

    endpoint().handle(request("GET", "/hooks/" + withContent.id(), ""));
    endpoint().handle(request("GET", "/hooks/" + without.id(), ""));
    endpoint().handle(request("POST", "/hooks/" + withContent.id(), "a=1&b=%ZZ",
        "Content-Type", "application/x-www-form-urlencoded"));

    assertThat(contents).containsExactly("Did you see the cat?", "", "a=1&b=%ZZ");
  }

  @Test
  void hit_concurrentIncrements_eachAppliedExactlyOnce() throws Exception {
    PropertyKey counter = PropertyKey.ofBot(BOT, "count");
    runtime.on(
        "/onWebhook",
        (r, h) -> {
          long n =
              h.getProperty(Optional.empty(), "count").map(v -> v.value().asLong()).orElse(0L);
          Thread.yield();
          h.setProperty(
              Optional.empty(), "count", new PropertyValue(PropertyType.INTEGER, IntNode.valueOf((int) n + 1)));
          return said("n=" + (n + 1));
        });
    Webhook hook = mint("/onWebhook", null, null, null);
    WebhookEndpoint endpoint = endpoint();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<HttpResponse>> results = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      results.add(pool.submit(() -> endpoint.handle(request("POST", "/hooks/" + hook.id(), "x"))));
    }
    int ok = 0;
    for (Future<HttpResponse> f : results) {
      if (f.get().status() == 200) {
        ok++;
      }
    }
    pool.shutdown();

    assertThat(ok).isEqualTo(40);
    assertThat(store.property(counter).orElseThrow().value().value().asInt()).isEqualTo(40);
  }

  @Test
  void hit_deferredRuns_runAfterMainInOrder_failureLoggedAnswerUnchanged() throws Exception {
    runtime
        .on(
            "/onWebhook",
            (r, h) ->
                new RunResult.Completed(
                    List.of(new RunResult.Output.Message("main", null)),
                    Optional.empty(),
                    List.of(
                        runNow("/second", Json.object(), Optional.of("99")),
                        // the runtime throws: that run's failure, logged with its message
                        runNow("/crash", Json.object(), Optional.of("99")),
                        runNow("/broken", Json.object(), Optional.empty())),
                    4,
                    1))
        .on("/second", (r, h) -> said("from second as " + r.user().orElseThrow().id()))
        .on("/broken", (r, h) -> new RunResult.Failed("boom", Optional.empty()))
        .on(
            "/crash",
            (r, h) -> {
              throw new IllegalStateException("a fault of ours");
            });
    Webhook hook = mint("/onWebhook", "42", null, null);

    HttpResponse response = endpoint().handle(request("GET", "/hooks/" + hook.id(), ""));

    assertThat(response.status()).isEqualTo(200);
    assertThat(json(response).get("answer").asText()).isEqualTo("main");
    assertThat(store.messages(BOT, Optional.of("99"), PageRequest.first(5)).items())
        .extracting(OutboxEntry::text)
        .containsExactly("from second as 99");
    // Each call the chain ran was taken out of the schedule: none is left for a poll.
    assertThat(store.dueRuns(Instant.parse("3000-01-01T00:00:00Z"), 10)).isEmpty();
    assertThat(store.errors(BOT, PageRequest.first(5)).items())
        .extracting(ErrorEntry::message, ErrorEntry::command)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("boom", "/broken"),
            org.assertj.core.groups.Tuple.tuple("a fault of ours", "/crash"));
  }

  /**
   * Once the hook's command has committed, a store that fails for its {@code Bot.run} calls (a
   * run to keep for later, a user to read, a later run's commit) ends only those calls: the hit
   * answers what committed, since a 503 would have its caller send again what was applied.
   */
  @Test
  void hit_storeFailingAfterTheCommit_answersWhatCommitted() throws Exception {
    PropertyKey counter = PropertyKey.ofBot(BOT, "paid");
    runtime
        .on(
            "/onWebhook",
            (r, h) -> {
              int paid =
                  h.getProperty(Optional.empty(), "paid").map(v -> v.value().asInt()).orElse(0);
              h.setProperty(
                  Optional.empty(),
                  "paid",
                  new PropertyValue(PropertyType.INTEGER, IntNode.valueOf(paid + 1)));
              return new RunResult.Completed(
                  List.of(new RunResult.Output.Message("paid " + (paid + 1), null)),
                  Optional.empty(),
                  List.of(
                      new RunResult.DeferredRun(
                          "/receipt", Json.object(), Optional.empty(), Duration.ofSeconds(60), ""),
                      runNow("/receipt", Json.object(), Optional.of("99")),
                      runNow("/receipt", Json.object(), Optional.empty())),
                  4,
                  1);
            })
        .on("/receipt", (r, h) -> said("receipt"));
    Webhook hook = mint("/onWebhook", "42", null, null);
    for (String failing : List.of("user", "commit")) {
      Store afterTheCommit = awayAfterTheCommit(failing::equals, false);
      HitService hits = new HitService(afterTheCommit, runtime, minter, ids, Clock.systemUTC(), settings);
      int before = store.property(counter).map(p -> p.value().value().asInt()).orElse(0);

      HttpResponse response =
          new WebhookEndpoint(hits, settings, Clock.systemUTC())
              .handle(request("GET", "/hooks/" + hook.id(), ""));

      assertThat(response.status()).as(failing).isEqualTo(200);
      assertThat(json(response).get("answer").asText()).as(failing).isEqualTo("paid " + (before + 1));
      assertThat(store.property(counter).orElseThrow().value().value().asInt())
          .as(failing)
          .isEqualTo(before + 1);
    }
  }

  /**
   * The commit of the hook's command keeps its {@code Bot.run} calls in the schedule: when its
   * chain cannot go on after the commit (the store fails as a call's user is read, or for the
   * chained runs' commits, or the hook's commit's answer is lost and stays lost), the schedule's
   * polls run every call whose run did not commit, once each, as its user, but not before the
   * chain's time is past (README "Reliability", follow-up runs).
   */
  @ParameterizedTest
  @ValueSource(strings = {"user", "chainedCommit", "commit"})
  void hit_chainCutAfterTheCommit_leavesItsBotRunCallsToTheSchedule(String cut) throws Exception {
    settings = Settings.from(Map.of(Settings.Env.SCRIPT_TIME_LIMIT_MS, "500"));
    runtime
        .on(
            "/onWebhook",
            (r, h) ->
                paidAsking(
                    runNow("/receipt", Json.object().put("n", 1), Optional.of("99")),
                    runNow("/receipt", Json.object().put("n", 2), Optional.empty())))
        .on(
            "/receipt",
            (r, h) ->
                said("receipt " + r.options().get("n").asInt() + " for "
                    + r.user().orElseThrow().id()));
    Webhook hook = mint("/onWebhook", "42", null, null);
    java.util.function.Predicate<String> away =
        switch (cut) {
          case "user" -> "user"::equals;
          case "chainedCommit" -> "commit"::equals;
          default -> call -> true;
        };
    Store cutAfterTheCommit = awayAfterTheCommit(away, cut.equals("commit"));
    HitService hits =
        new HitService(cutAfterTheCommit, runtime, minter, ids, Clock.systemUTC(), settings);

    HttpResponse response =
        new WebhookEndpoint(hits, settings, Clock.systemUTC())
            .handle(request("GET", "/hooks/" + hook.id(), ""));

    assertThat(response.status()).isEqualTo(cut.equals("commit") ? 503 : 200);
    assertThat(store.messages(BOT, Optional.of("42"), PageRequest.first(5)).items())
        .extracting(OutboxEntry::text)
        .containsExactly("paid");
    HitService notYet = new HitService(store, runtime, minter, ids, Clock.systemUTC(), settings);
    assertThat(notYet.runDueRuns()).isZero();
    HitService poll = pollOnceTheChainIsPast();
    assertThat(poll.runDueRuns()).isEqualTo(2);
    assertThat(poll.runDueRuns()).isZero();
    assertThat(store.messages(BOT, Optional.of("99"), PageRequest.first(5)).items())
        .extracting(OutboxEntry::text)
        .containsExactly("receipt 1 for 99");
    assertThat(store.messages(BOT, Optional.of("42"), PageRequest.first(5)).items())
        .extracting(OutboxEntry::text)
        .containsExactlyInAnyOrder("paid", "receipt 2 for 42");
  }

  /**
   * A chained run that the hit's time limit ends applied nothing: it stays in the schedule, not
   * in the error log, and a poll runs it with a time of its own.
   */
  @Test
  void hit_chainedRunEndedByTheChainsTime_staysForAPoll() throws Exception {
    int[] tries = {0};
    runtime
        .on(
            "/onWebhook",
            (r, h) ->
                paidAsking(
                    runNow("/slow", Json.object(), Optional.empty())))
        .on(
            "/slow",
            (r, h) ->
                tries[0]++ == 0
                    ? new RunResult.Failed(
                        "time limit exceeded", Optional.of(Settings.Env.SCRIPT_TIME_LIMIT_MS))
                    : said("slow done"));
    Webhook hook = mint("/onWebhook", "42", null, null);

    assertThat(endpoint().handle(request("GET", "/hooks/" + hook.id(), "")).status())
        .isEqualTo(200);

    assertThat(store.errors(BOT, PageRequest.first(5)).items()).isEmpty();
    HitService poll = pollOnceTheChainIsPast();
    assertThat(poll.runDueRuns()).isEqualTo(1);
    assertThat(poll.runDueRuns()).isZero();
    assertThat(tries[0]).isEqualTo(2);
    assertThat(store.messages(BOT, Optional.of("42"), PageRequest.first(5)).items())
        .extracting(OutboxEntry::text)
        .containsExactlyInAnyOrder("paid", "slow done");
  }

  @Test
  void hit_runAfter_keptUntilDue_thenRunsOnceAsTheUser() throws Exception {
    runtime
        .on(
            "/onWebhook",
            (r, h) ->
                new RunResult.Completed(
                    List.of(new RunResult.Output.Message("now", null)),
                    Optional.empty(),
                    List.of(
                        new RunResult.DeferredRun(
                            "/later", Json.object().put("k", 1), Optional.empty(),
                            Duration.ofSeconds(30), "reminder")),
                    2,
                    1))
        .on("/later", (r, h) -> said("later for " + r.user().orElseThrow().id()
            + " k=" + r.options().get("k").asInt()));
    Webhook hook = mint("/onWebhook", "42", null, null);
    Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
    Clock moving =
        new Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now[0];
          }
        };
    HitService hits = new HitService(store, runtime, minter, ids, moving, settings);
    WebhookEndpoint endpoint = new WebhookEndpoint(hits, settings, moving);

    assertThat(endpoint.handle(request("GET", "/hooks/" + hook.id(), "")).status()).isEqualTo(200);
    assertThat(hits.runDueRuns()).isZero();
    now[0] = now[0].plusSeconds(31);
    assertThat(hits.runDueRuns()).isEqualTo(1);
    assertThat(hits.runDueRuns()).isZero();

    assertThat(store.messages(BOT, Optional.of("42"), PageRequest.first(5)).items())
        .extracting(OutboxEntry::text)
        .containsExactly("later for 42 k=1", "now");
  }

  @Test
  void hit_runTouchingTooManyProperties_failsNamingTheLimit_andWritesNothing() {
    runtime.on(
        "/onWebhook",
        (r, h) -> {
          for (int i = 0; i <= RunTransaction.MAX_PROPERTIES_PER_RUN; i++) {
            h.setProperty(
                Optional.empty(), "p" + i,
                new PropertyValue(PropertyType.INTEGER, IntNode.valueOf(i)));
          }
          return said("unreachable");
        });
    Webhook hook = mint("/onWebhook", null, null, null);

    HttpResponse response = endpoint().handle(request("GET", "/hooks/" + hook.id(), ""));

    assertThat(response.status()).isEqualTo(503);
    assertThat(store.errors(BOT, PageRequest.first(1)).items().get(0).limit())
        .isEqualTo("MAX_PROPERTIES_PER_RUN");
    assertThat(store.property(PropertyKey.ofBot(BOT, "p0"))).isEmpty();
    assertThat(runtime.runs.get()).isEqualTo(1);
  }

  /**
   * Property values that together would not fit one DynamoDB transaction (4 MB) fail the run,
   * naming the limit, whatever the store; rewriting or deleting a property frees its bytes.
   */
  @Test
  void hit_runWritingMorePropertyBytesThanACommitHolds_failsNamingTheLimit_andWritesNothing() {
    String big = "x".repeat(60_000); // under MAX_PROPERTY_BYTES (65536)
    runtime
        .on(
            "/onWebhook",
            (r, h) -> {
              for (int i = 0; i < 60; i++) {
                h.setProperty(
                    Optional.empty(), "p" + i,
                    new PropertyValue(PropertyType.STRING, TextNode.valueOf(big)));
              }
              return said("unreachable");
            })
        .on(
            "/rewrite",
            (r, h) -> {
              for (int i = 0; i < 200; i++) {
                String name = "q" + (i % 40);
                h.setProperty(
                    Optional.empty(), name, new PropertyValue(PropertyType.STRING, TextNode.valueOf(big)));
                if (i % 3 == 0) {
                  h.deleteProperty(Optional.empty(), name);
                }
              }
              return said("fits");
            });
    Webhook hook = mint("/onWebhook", null, null, null);
    Webhook rewrite = mint("/rewrite", null, null, null);

    HttpResponse response = endpoint().handle(request("GET", "/hooks/" + hook.id(), ""));

    assertThat(response.status()).isEqualTo(503);
    assertThat(store.errors(BOT, PageRequest.first(1)).items().get(0).limit())
        .isEqualTo(RunTransaction.MAX_PROPERTY_BYTES_PER_RUN_LIMIT);
    assertThat(store.property(PropertyKey.ofBot(BOT, "p0"))).isEmpty();
    assertThat(endpoint().handle(request("GET", "/hooks/" + rewrite.id(), "")).status())
        .isEqualTo(200);
  }

  /**
   * The test's store, away once a commit was sent for each call {@code away} names; with {@code
   * loseTheAnswer}, that commit applies and its answer is lost.
   */
  private Store awayAfterTheCommit(
      java.util.function.Predicate<String> away, boolean loseTheAnswer) {
    boolean[] committed = {false};
    return (Store)
        java.lang.reflect.Proxy.newProxyInstance(
            Store.class.getClassLoader(),
            new Class<?>[] {Store.class},
            (proxy, method, args) -> {
              if (committed[0] && away.test(method.getName())) {
                throw new StoreUnavailableException(
                    "the table is away", new java.io.IOException("reset"));
              }
              try {
                Object result = method.invoke(store, args);
                if (method.getName().equals("commit")) {
                  committed[0] = true;
                  if (loseTheAnswer) {
                    throw new StoreUnavailableException(
                        "timed out", new java.io.IOException("timeout"));
                  }
                }
                return result;
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  /** A {@code Bot.run} call without {@code run_after}, as the user it names or the run's own. */
  private static RunResult.DeferredRun runNow(
      String command, JsonNode options, Optional<String> userId) {
    return new RunResult.DeferredRun(command, options, userId, Duration.ZERO, "");
  }

  /** A run that answers "paid" and asks for these {@code Bot.run} calls. */
  private static RunResult.Completed paidAsking(RunResult.DeferredRun... runs) {
    return new RunResult.Completed(
        List.of(new RunResult.Output.Message("paid", null)),
        Optional.empty(),
        List.of(runs),
        runs.length + 1,
        1);
  }

  /** The schedule's poll, at a time when every run a hit's chain left to it is due. */
  private HitService pollOnceTheChainIsPast() {
    Clock past =
        Clock.offset(
            Clock.systemUTC(),
            settings.limits().scriptTime().plus(HitService.LEFT_RUNS_DUE_AFTER).plusSeconds(1));
    return new HitService(store, runtime, minter, ids, past, settings);
  }

  private static Settings.Limits limitsWith(int maxBody, int ratePerMinute) {
    Settings.Limits d = Settings.Limits.defaults();
    return new Settings.Limits(
        d.scriptTime(), maxBody, d.maxMessages(), d.maxMessageChars(), d.maxRunDepth(),
        d.maxRuns(), d.maxPropertyBytes(), ratePerMinute, d.maxOutboxBytes());
  }

  private record RunResultCapture(String content, JsonNode options, String message) {}
}
