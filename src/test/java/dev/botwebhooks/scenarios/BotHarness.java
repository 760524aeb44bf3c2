package dev.botwebhooks.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.http.Headers;
import dev.botwebhooks.http.HttpEndpoint;
import dev.botwebhooks.http.HttpRequest;
import dev.botwebhooks.http.HttpResponse;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.wiring.Deployment;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A deployment on a given store with one bot created through the bot API, and helpers to upload
 * commands, mint hooks and hit them, as a bot owner and an external service would.
 */
final class BotHarness {
  static final String ADMIN_KEY = "test-admin-key-0123456789";
  static final String BASE = "https://hooks.example.test";

  final Deployment deployment;
  final HttpEndpoint api;
  final HttpEndpoint hooks;
  final String botId;
  final String apiKey;
  private int requests;

  BotHarness(Store store, Map<String, String> env) {
    Map<String, String> all = new LinkedHashMap<>(env);
    all.put(Settings.Env.ADMIN_KEY, ADMIN_KEY);
    all.putIfAbsent(Settings.Env.SCRIPT_TIME_LIMIT_MS, "2000");
    all.putIfAbsent(Settings.Env.RATE_LIMIT_PER_MINUTE, "100000");
    Settings settings = Settings.from(all);
    deployment = new Deployment(settings, store, IdGenerator.secure(), Clock.systemUTC());
    api = deployment.botApi();
    hooks = deployment.webhooks();
    JsonNode bot = call("POST", "/bots", ADMIN_KEY, "application/json", "{\"name\":\"Test bot\"}");
    botId = bot.get("id").asText();
    apiKey = bot.get("api_key").asText();
  }

  /** Uploads a command file; the name goes into the path URL-encoded. */
  void command(String name, String source) {
    call("PUT", "/bots/" + botId + "/commands/" + encode(name), apiKey, "text/plain", source);
  }

  void library(String name, String source) {
    call("PUT", "/bots/" + botId + "/libs/" + encode(name), apiKey, "text/plain", source);
  }

  void user(String id, String json) {
    call("PUT", "/bots/" + botId + "/users/" + id, apiKey, "application/json", json);
  }

  /** Mints a hook and returns its path ({@code /hooks/<id>}). */
  String mint(String json) {
    JsonNode hook = call("POST", "/bots/" + botId + "/webhooks", apiKey, "application/json", json);
    String url = hook.get("url").asText();
    assertThat(url).startsWith(BASE + "/hooks/");
    return url.substring(BASE.length());
  }

  JsonNode get(String path) {
    return call("GET", "/bots/" + botId + path, apiKey, null, "");
  }

  List<String> messageTexts() {
    List<String> texts = new java.util.ArrayList<>();
    get("/messages?limit=100").get("items").forEach(i -> texts.add(i.path("text").asText(null)));
    return texts;
  }

  JsonNode lastError() {
    JsonNode items = get("/errors?limit=1").get("items");
    return items.size() == 0 ? null : items.get(0);
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

  private JsonNode call(String method, String pathAndQuery, String key, String type, String body) {
    Headers.Builder h = Headers.builder().add("Authorization", "Bearer " + key);
    if (type != null) {
      h.add("Content-Type", type);
    }
    HttpResponse r = api.handle(request(method, pathAndQuery, h.build(), body));
    assertThat(r.status()).as(method + " " + pathAndQuery + " -> " + r.body()).isBetween(200, 299);
    return r.body().isEmpty() ? Json.object() : parse(r);
  }

  /** A PUT of a text body to the bot API, for calls whose refusal a test looks at. */
  static HttpRequest put(String path, String key, String body, String type) {
    Headers h = Headers.builder().add("Authorization", "Bearer " + key).add("Content-Type", type).build();
    return new HttpRequest("PUT", path, "", Map.of(), h, body.getBytes(StandardCharsets.UTF_8),
        "198.51.100.9", "req-put", BASE);
  }

  private HttpRequest request(String method, String pathAndQuery, Headers headers, String body) {
    String path = pathAndQuery;
    String rawQuery = "";
    int q = pathAndQuery.indexOf('?');
    if (q >= 0) {
      path = pathAndQuery.substring(0, q);
      rawQuery = pathAndQuery.substring(q + 1);
    }
    Map<String, List<String>> query = new LinkedHashMap<>();
    if (!rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&")) {
        int eq = pair.indexOf('=');
        String k = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String v = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        query.computeIfAbsent(k, x -> new java.util.ArrayList<>()).add(v);
      }
    }
    return new HttpRequest(
        method, path, rawQuery, query, headers, body.getBytes(StandardCharsets.UTF_8),
        "198.51.100.9", "req-" + (++requests), BASE);
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
