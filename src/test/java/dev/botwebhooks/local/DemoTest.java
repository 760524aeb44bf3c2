package dev.botwebhooks.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.http.HttpEndpoint;
import dev.botwebhooks.http.HttpRequest;
import dev.botwebhooks.http.HttpResponse;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.lambda.LocalRuntime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The demo seeding speaks to the bot API over HTTP, as the README's curl tour does. */
class DemoTest {
  private final List<HttpRequest> api = new CopyOnWriteArrayList<>();
  private LocalServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** Answers like the bot API of README "The bot API" would, for the calls the demo makes. */
  private HttpResponse scriptedBotApi(HttpRequest request) {
    api.add(request);
    if (request.path().equals("/bots")) {
      return HttpResponse.json(
          201, Json.object().put("id", "bot1").put("name", "Cat demo").put("api_key", "key1"));
    }
    if (request.path().endsWith("/webhooks")) {
      return HttpResponse.json(
          201, Json.object().put("id", "h1").put("url", request.baseUrl() + "/hooks/h1"));
    }
    return HttpResponse.json(200, Json.object());
  }

  private void start(HttpEndpoint botApi) throws IOException {
    server =
        LocalServer.start(LocalRuntime.of(r -> HttpResponse.error(404, "x"), () -> 0, botApi), 0, false);
  }

  @Test
  void seed_createsBotCommandUserAndCatHook_throughTheApi() throws Exception {
    start(this::scriptedBotApi);

    Demo.Seeded seeded = Demo.seed(server.baseUrl(), "admin-secret");

    assertThat(seeded.url()).isEqualTo(server.baseUrl() + "/hooks/h1");
    assertThat(seeded.botId()).isEqualTo("bot1");
    assertThat(api)
        .extracting(r -> r.method() + " " + r.path())
        .containsExactly(
            "POST /bots",
            "PUT /bots/bot1/commands//onWebhook", // the path as an HTTP API hands it over
            "PUT /bots/bot1/users/1",
            "POST /bots/bot1/webhooks");
    assertThat(api.get(0).headers().first("Authorization")).contains("Bearer admin-secret");
    assertThat(api.get(1).headers().first("Authorization")).contains("Bearer key1");
    assertThat(new String(api.get(1).body(), StandardCharsets.UTF_8))
        .contains("command: /onWebhook")
        .contains("Bot.sendMessage(inspect(content))");
    JsonNode mint = Json.MAPPER.readTree(api.get(3).body());
    assertThat(mint.path("command").asText()).isEqualTo("/onWebhook");
    assertThat(mint.path("content").asText()).isEqualTo("Did you see the cat?");
    assertThat(mint.path("user_id").asText()).isEqualTo("1");
    assertThat(mint.path("redirect_to").asText()).isEqualTo("https://cataas.com/cat");
  }

  @Test
  void seeded_printsTheUrlAndHowToReadMessages() throws Exception {
    start(this::scriptedBotApi);
    Demo.Seeded seeded = Demo.seed(server.baseUrl(), "admin-secret");
    ByteArrayOutputStream text = new ByteArrayOutputStream();

    seeded.print(new PrintStream(text, true, StandardCharsets.UTF_8), server.baseUrl());

    assertThat(text.toString(StandardCharsets.UTF_8))
        .contains(server.baseUrl() + "/hooks/h1")
        .contains("/bots/bot1/messages?user_id=1");
  }

  @Test
  void seed_apiRefuses_failsNamingTheStepAndAnswer() throws Exception {
    start(request -> HttpResponse.error(401, "wrong admin key"));

    assertThatThrownBy(() -> Demo.seed(server.baseUrl(), "bad"))
        .isInstanceOf(Demo.SeedFailedException.class)
        .hasMessageContaining("POST /bots")
        .hasMessageContaining("401")
        .hasMessageContaining("wrong admin key");
  }
}
