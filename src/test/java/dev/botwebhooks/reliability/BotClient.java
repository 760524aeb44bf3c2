package dev.botwebhooks.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.testing.BotOwner;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;

/**
 * One bot of a {@link LocalService}: its owner's API calls ({@link BotOwner}) over HTTP, and an
 * outside caller's hits.
 */
final class BotClient extends BotOwner {
  final LocalService service;

  private BotClient(LocalService service, String botId, String apiKey) {
    super(api(service), botId, apiKey);
    this.service = service;
  }

  /** Creates a bot through {@code POST /bots} with the admin key. */
  static BotClient create(LocalService service, String adminKey, String name) {
    JsonNode bot = BotOwner.createBot(api(service), adminKey, name).json();
    return new BotClient(service, bot.get("id").asText(), bot.get("api_key").asText());
  }

  /** The same bot, driven through another instance (another container on the same table). */
  BotClient on(LocalService other) {
    return new BotClient(other, botId, apiKey);
  }

  private static BotOwner.Api api(LocalService service) {
    return (method, pathAndQuery, key, contentType, body) -> {
      HttpResponse<String> r = send(service, method, pathAndQuery, key, contentType, body);
      return new Reply(r.statusCode(), r.body());
    };
  }

  private static HttpResponse<String> send(
      LocalService service,
      String method,
      String pathAndQuery,
      String key,
      String contentType,
      String body) {
    HttpRequest.Builder r =
        service
            .request(pathAndQuery)
            .header("Authorization", "Bearer " + key)
            .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    if (contentType != null) {
      r.header("Content-Type", contentType);
    }
    return service.send(r);
  }

  /** A call on this bot's routes, answered as HTTP. */
  HttpResponse<String> api(String method, String path, String contentType, String body) {
    return send(service, method, "/bots/" + botId + path, apiKey, contentType, body);
  }

  HttpResponse<String> hit(String path) {
    return service.send(service.request(path).GET());
  }

  /** A hit from a client address, as the nearest proxy reports it in X-Forwarded-For. */
  HttpResponse<String> hitFrom(String ip, String path) {
    return service.send(service.request(path).header("X-Forwarded-For", ip).GET());
  }
}
