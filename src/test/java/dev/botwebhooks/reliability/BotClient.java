package dev.botwebhooks.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One bot of a {@link LocalService}: its owner's API calls and an outside caller's hits. */
final class BotClient {
  final LocalService service;
  final String botId;
  final String apiKey;

  BotClient(LocalService service, String botId, String apiKey) {
    this.service = service;
    this.botId = botId;
    this.apiKey = apiKey;
  }

  HttpResponse<String> api(String method, String path, String contentType, String body) {
    HttpRequest.Builder r =
        service
            .request("/bots/" + botId + path)
            .header("Authorization", "Bearer " + apiKey)
            .method(
                method,
                body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    if (contentType != null) {
      r.header("Content-Type", contentType);
    }
    return service.send(r);
  }

  private JsonNode ok(String method, String path, String contentType, String body) {
    HttpResponse<String> r = api(method, path, contentType, body);
    assertThat(r.statusCode()).as(method + " " + path + " -> " + r.body()).isBetween(200, 299);
    return LocalService.parse(r.body());
  }

  void command(String name, String source) {
    ok("PUT", "/commands/" + encode(name), "text/plain", source);
  }

  /** Mints a hook and returns its path, {@code /hooks/<id>}. */
  String mint(String json) {
    String url = ok("POST", "/webhooks", "application/json", json).get("url").asText();
    return url.substring(url.indexOf("/hooks/"));
  }

  /** A property's value as the API reads it, or empty when absent. */
  Optional<JsonNode> property(String name) {
    return read("/properties/" + encode(name));
  }

  Optional<JsonNode> userProperty(String userId, String name) {
    return read("/users/" + userId + "/properties/" + encode(name));
  }

  private Optional<JsonNode> read(String path) {
    HttpResponse<String> r = api("GET", path, null, null);
    if (r.statusCode() == 404) {
      return Optional.empty();
    }
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Optional.of(LocalService.parse(r.body()).get("value"));
  }

  /** Every entry of a paged listing ({@code /messages}, {@code /errors}), newest first. */
  List<JsonNode> all(String listing) {
    List<JsonNode> items = new ArrayList<>();
    String cursor = null;
    do {
      String sep = listing.contains("?") ? "&" : "?";
      JsonNode page =
          ok("GET", listing + sep + "limit=100" + (cursor == null ? "" : "&cursor=" + cursor),
              null, null);
      page.get("items").forEach(items::add);
      cursor = page.path("next_cursor").isTextual() ? page.get("next_cursor").asText() : null;
    } while (cursor != null);
    return items;
  }

  HttpResponse<String> hit(String path) {
    return service.send(service.request(path).GET());
  }

  /** A hit from a client address, as the nearest proxy reports it in X-Forwarded-For. */
  HttpResponse<String> hitFrom(String ip, String path) {
    return service.send(service.request(path).header("X-Forwarded-For", ip).GET());
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
