package dev.botwebhooks.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.json.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Seeds the example bot of the Bots.Business Webhooks help page through the running server's own
 * bot API, as a user would with curl: a bot, its {@code /onWebhook} command, one user, and a hook
 * that shows the cat.
 */
final class Demo {
  static final String COMMAND_NAME = "/onWebhook";
  static final String COMMAND =
      "/*CMD\n"
          + "  command: /onWebhook\n"
          + "  help: runs when the webhook URL is loaded; shows what it received\n"
          + "CMD*/\n"
          + "\n"
          + "// for user's webhook\n"
          + "Bot.sendMessage(inspect(content))\n";
  static final String USER_ID = "1";
  static final String CONTENT = "Did you see the cat?";
  static final String REDIRECT_TO = "https://cataas.com/cat";

  private Demo() {}

  /** The seeded bot and its ready URL. */
  record Seeded(String botId, String apiKey, String url) {
    void print(PrintStream out, String baseUrl) {
      out.println("Demo bot " + botId + " is ready (API key " + apiKey + ").");
      out.println("Open the webhook (302 to the cat, and /onWebhook runs for user 1):");
      out.println("  " + url);
      out.println("  curl -i " + url);
      out.println("See what the command sent:");
      out.println(
          "  curl -s -H 'Authorization: Bearer "
              + apiKey
              + "' '"
              + baseUrl
              + "/bots/"
              + botId
              + "/messages?user_id=1'");
    }
  }

  /** Seeding did not go as the API promises; says which step and what it answered. */
  static final class SeedFailedException extends Exception {
    SeedFailedException(String message) {
      super(message);
    }

    SeedFailedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  static Seeded seed(String baseUrl, String adminKey) throws SeedFailedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ObjectNode newBot = Json.object().put("name", "Cat demo");
    JsonNode bot =
        call(client, "POST", baseUrl + "/bots", adminKey, "application/json", Json.write(newBot));
    String botId = field(bot, "id", "POST /bots");
    String apiKey = field(bot, "api_key", "POST /bots");
    String botUrl = baseUrl + "/bots/" + botId;

    call(client, "PUT", botUrl + "/commands/%2FonWebhook", apiKey, "text/plain", COMMAND);
    ObjectNode user =
        Json.object().put("telegramid", 1).put("first_name", "Demo").put("username", "demo");
    call(client, "PUT", botUrl + "/users/" + USER_ID, apiKey, "application/json", Json.write(user));
    ObjectNode mint =
        Json.object()
            .put("command", COMMAND_NAME)
            .put("content", CONTENT)
            .put("user_id", USER_ID)
            .put("redirect_to", REDIRECT_TO);
    JsonNode hook =
        call(client, "POST", botUrl + "/webhooks", apiKey, "application/json", Json.write(mint));
    return new Seeded(botId, apiKey, field(hook, "url", "POST /bots/{id}/webhooks"));
  }

  private static JsonNode call(
      HttpClient client, String method, String url, String key, String type, String body)
      throws SeedFailedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", type)
            .method(method, BodyPublishers.ofString(body))
            .build();
    String what = method + " " + URI.create(url).getRawPath();
    HttpResponse<String> response;
    try {
      response = client.send(request, BodyHandlers.ofString());
    } catch (IOException e) {
      throw new SeedFailedException(what + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SeedFailedException(what + " was interrupted", e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new SeedFailedException(
          what + " answered " + response.statusCode() + " " + response.body());
    }
    try {
      return response.body().isBlank() ? Json.object() : Json.parse(response.body());
    } catch (IOException e) {
      throw new SeedFailedException(what + " answered non-JSON: " + response.body(), e);
    }
  }

  private static String field(JsonNode answer, String name, String what)
      throws SeedFailedException {
    JsonNode value = answer.path(name);
    if (!value.isTextual() || value.asText().isEmpty()) {
      throw new SeedFailedException(what + " answered without \"" + name + "\": " + answer);
    }
    return value.asText();
  }

  static String createBotCurl(String baseUrl, String adminKey) {
    return "curl -s -X POST "
        + baseUrl
        + "/bots -H 'Authorization: Bearer "
        + adminKey
        + "' -H 'Content-Type: application/json' -d '{\"name\":\"My bot\"}'";
  }

  static String uploadCommandCurl(String baseUrl, String botId, String apiKey) {
    return "curl -s -X PUT "
        + baseUrl
        + "/bots/"
        + botId
        + "/commands/%2FonWebhook -H 'Authorization: Bearer "
        + apiKey
        + "' -H 'Content-Type: text/plain' --data-binary 'Bot.sendMessage(inspect(content))'";
  }

  static String mintCurl(String baseUrl, String botId, String apiKey) {
    return "curl -s -X POST "
        + baseUrl
        + "/bots/"
        + botId
        + "/webhooks -H 'Authorization: Bearer "
        + apiKey
        + "' -H 'Content-Type: application/json' -d '{\"command\":\"/onWebhook\"}'";
  }
}
