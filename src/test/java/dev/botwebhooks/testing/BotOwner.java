package dev.botwebhooks.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.json.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A bot and what its owner does with it through the bot API (README "The bot API"): upload
 * commands and libraries, register users, mint hooks, read properties, the outbox and the error
 * log. The one owner fixture of the tests; each test suite reaches the API its own way (in
 * process, or over HTTP through the local server) and adds how an outside caller hits the hooks.
 */
public abstract class BotOwner {
  public final String botId;
  public final String apiKey;

  /** A bot API reply: status and body. */
  public record Reply(int status, String body) {
    public JsonNode json() {
      try {
        return body.isEmpty() ? Json.object() : Json.parse(body);
      } catch (Exception e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }

  /** One bot API call, as the owner makes it. */
  @FunctionalInterface
  public interface Api {
    /**
     * @param pathAndQuery from {@code /bots} on
     * @param key the bearer key
     * @param contentType null for none
     * @param body null for none
     */
    Reply call(String method, String pathAndQuery, String key, String contentType, String body);
  }

  private final Api api;

  protected BotOwner(Api api, String botId, String apiKey) {
    this.api = api;
    this.botId = botId;
    this.apiKey = apiKey;
  }

  /** Creates a bot through {@code POST /bots} with the admin key: its id and API key. */
  public static Reply createBot(Api api, String adminKey, String name) {
    Reply r =
        api.call(
            "POST", "/bots", adminKey, "application/json",
            Json.write(Json.object().put("name", name)));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r;
  }

  /** A call on this bot's routes ({@code path} from after {@code /bots/{botId}}). */
  public Reply call(String method, String path, String contentType, String body) {
    return api.call(method, "/bots/" + botId + path, apiKey, contentType, body);
  }

  /** The same call, which must succeed: its JSON body. */
  public JsonNode ok(String method, String path, String contentType, String body) {
    Reply r = call(method, path, contentType, body);
    assertThat(r.status()).as(method + " " + path + " -> " + r.body()).isBetween(200, 299);
    return r.json();
  }

  /** Uploads a command file; the name goes into the path URL-encoded. */
  public void command(String name, String source) {
    ok("PUT", "/commands/" + encode(name), "text/plain", source);
  }

  public void library(String name, String source) {
    ok("PUT", "/libs/" + encode(name), "text/plain", source);
  }

  public void user(String id, String json) {
    ok("PUT", "/users/" + id, "application/json", json);
  }

  /** Mints a hook and returns its path, {@code /hooks/<id>}. */
  public String mint(String json) {
    String url = ok("POST", "/webhooks", "application/json", json).get("url").asText();
    assertThat(url).contains("/hooks/");
    return url.substring(url.indexOf("/hooks/"));
  }

  public JsonNode get(String path) {
    return ok("GET", path, null, null);
  }

  /** A property's value as the API reads it, or empty when absent. */
  public Optional<JsonNode> property(String name) {
    return value("/properties/" + encode(name));
  }

  public Optional<JsonNode> userProperty(String userId, String name) {
    return value("/users/" + userId + "/properties/" + encode(name));
  }

  private Optional<JsonNode> value(String path) {
    Reply r = call("GET", path, null, null);
    if (r.status() == 404) {
      return Optional.empty();
    }
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return Optional.of(r.json().get("value"));
  }

  /** Every entry of a paged listing ({@code /messages}, {@code /errors}), newest first. */
  public List<JsonNode> all(String listing) {
    List<JsonNode> items = new ArrayList<>();
    String cursor = null;
    do {
      String sep = listing.contains("?") ? "&" : "?";
      JsonNode page =
          get(listing + sep + "limit=100" + (cursor == null ? "" : "&cursor=" + cursor));
      page.get("items").forEach(items::add);
      cursor = page.path("next_cursor").isTextual() ? page.get("next_cursor").asText() : null;
    } while (cursor != null);
    return items;
  }

  /** The texts of the outbox, newest first (at most 100). */
  public List<String> messageTexts() {
    List<String> texts = new ArrayList<>();
    get("/messages?limit=100").get("items").forEach(i -> texts.add(i.path("text").asText(null)));
    return texts;
  }

  /** The newest entry of the error log, or null. */
  public JsonNode lastError() {
    JsonNode items = get("/errors?limit=1").get("items");
    return items.size() == 0 ? null : items.get(0);
  }

  public static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
