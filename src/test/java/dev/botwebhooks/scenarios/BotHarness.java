package dev.botwebhooks.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.HttpCallQueue;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.egress.EgressSettings;
import dev.botwebhooks.http.Headers;
import dev.botwebhooks.http.HttpEndpoint;
import dev.botwebhooks.http.HttpResponse;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.testing.BotOwner;
import dev.botwebhooks.testing.InProcess;
import dev.botwebhooks.webhook.InProcessCallQueue;
import dev.botwebhooks.wiring.Deployment;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deployment on a given store with one bot created through the bot API; its owner's calls
 * ({@link BotOwner}) and an external service's hits go to the endpoints in process.
 */
final class BotHarness extends BotOwner {
  static final String ADMIN_KEY = "test-admin-key-0123456789";
  static final String BASE = "https://hooks.example.test";

  final Deployment deployment;
  final HttpEndpoint api;
  final HttpEndpoint hooks;

  BotHarness(Store store, Map<String, String> env) {
    this(store, env, EgressSettings.defaults());
  }

  /** A harness whose commands' outbound calls follow {@code egress}, made in this process. */
  BotHarness(Store store, Map<String, String> env, EgressSettings egress) {
    this(deploymentOf(store, env, egress));
  }

  /**
   * A harness whose commands' outbound calls follow {@code egress} and go to {@code queue} instead
   * of this process's executor, on {@code clock}.
   */
  BotHarness(Store store, EgressSettings egress, Clock clock, HttpCallQueue queue) {
    this(deploymentOf(store, Map.of(), egress, clock, Optional.of(queue)));
  }

  private BotHarness(Deployment deployment) {
    this(deployment, BotOwner.createBot(api(deployment.botApi()), ADMIN_KEY, "Test bot").json());
  }

  private BotHarness(Deployment deployment, JsonNode bot) {
    super(api(deployment.botApi()), bot.get("id").asText(), bot.get("api_key").asText());
    this.deployment = deployment;
    this.api = deployment.botApi();
    this.hooks = deployment.webhooks();
  }

  private static Deployment deploymentOf(
      Store store, Map<String, String> env, EgressSettings egress) {
    return deploymentOf(store, env, egress, Clock.systemUTC(), Optional.empty());
  }

  private static Deployment deploymentOf(
      Store store,
      Map<String, String> env,
      EgressSettings egress,
      Clock clock,
      Optional<HttpCallQueue> queue) {
    Map<String, String> all = new LinkedHashMap<>(env);
    all.put(Settings.Env.ADMIN_KEY, ADMIN_KEY);
    all.putIfAbsent(Settings.Env.SCRIPT_TIME_LIMIT_MS, "2000");
    all.putIfAbsent(Settings.Env.RATE_LIMIT_PER_MINUTE, "100000");
    return new Deployment(Settings.from(all), store, IdGenerator.secure(), clock, egress, queue);
  }

  private static final AtomicInteger REQUESTS = new AtomicInteger();

  private static BotOwner.Api api(HttpEndpoint botApi) {
    return (method, pathAndQuery, key, contentType, body) -> {
      Headers.Builder h = Headers.builder().add("Authorization", "Bearer " + key);
      if (contentType != null) {
        h.add("Content-Type", contentType);
      }
      HttpResponse r = botApi.handle(request(method, pathAndQuery, h.build(), body));
      return new Reply(r.status(), r.body());
    };
  }

  /** Waits until the outbound calls queued in this process, and their callbacks, are done. */
  void settleCalls() throws InterruptedException {
    InProcessCallQueue queue = deployment.localCallQueue().orElseThrow();
    assertThat(queue.awaitIdle(Duration.ofSeconds(20))).as("calls finished").isTrue();
  }

  /** The texts of one user's outbox, newest first ({@code null} for Telegram calls). */
  List<String> userMessages(String userId) {
    List<String> texts = new ArrayList<>();
    get("/messages?user_id=" + userId + "&limit=100")
        .get("items")
        .forEach(i -> texts.add(i.path("text").asText(null)));
    return texts;
  }

  /** A bot API call made with any key (the admin's, an old one), with no body. */
  BotOwner.Reply callWith(String key, String method, String pathAndQuery) {
    return api(api).call(method, pathAndQuery, key, null, null);
  }

  HttpResponse hit(String method, String pathAndQuery, String body, String... headers) {
    Headers.Builder h = Headers.builder();
    for (int i = 0; i < headers.length; i += 2) {
      h.add(headers[i], headers[i + 1]);
    }
    return hooks.handle(request(method, pathAndQuery, h.build(), body));
  }

  HttpResponse hit(String path) {
    return hit("GET", path, "");
  }

  /** The answer text of a 200 JSON hit. */
  String answer(String path) {
    HttpResponse r = hit(path);
    if (r.status() != 200) {
      throw new AssertionError("hit answered " + r.status() + "; error log: " + lastError());
    }
    return parse(r).get("answer").asText(null);
  }

  static JsonNode parse(HttpResponse r) {
    try {
      return Json.parse(r.body());
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + r.body(), e);
    }
  }

  /** A PUT of a body to the bot API, for calls whose refusal a test looks at. */
  static dev.botwebhooks.http.HttpRequest put(String path, String key, String body, String type) {
    Headers h =
        Headers.builder().add("Authorization", "Bearer " + key).add("Content-Type", type).build();
    return request("PUT", path, h, body);
  }

  private static dev.botwebhooks.http.HttpRequest request(
      String method, String pathAndQuery, Headers headers, String body) {
    return InProcess.request(
        method,
        pathAndQuery,
        headers,
        body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8),
        "198.51.100.9",
        "req-" + REQUESTS.incrementAndGet(),
        BASE);
  }
}
