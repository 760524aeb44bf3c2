package dev.botwebhooks.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.Commit;
import dev.botwebhooks.core.HttpCall;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.egress.EgressSettings;
import dev.botwebhooks.egress.TestServer;
import dev.botwebhooks.http.HttpEndpoint;
import dev.botwebhooks.http.HttpRequest;
import dev.botwebhooks.http.HttpResponse;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.store.MemoryStore;
import dev.botwebhooks.lambda.LocalRuntime;
import dev.botwebhooks.wiring.Deployment;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The local stand-in for API Gateway, through real sockets on 127.0.0.1. */
class LocalServerTest {
  private final List<HttpRequest> hooks = new CopyOnWriteArrayList<>();
  private final List<HttpRequest> api = new CopyOnWriteArrayList<>();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private LocalServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static HttpEndpoint recording(List<HttpRequest> into, HttpResponse answer) {
    return request -> {
      into.add(request);
      return answer;
    };
  }

  private void start(boolean trustForwardedFor, HttpResponse hookAnswer) throws IOException {
    LocalRuntime runtime =
        LocalRuntime.of(
            recording(hooks, hookAnswer),
            () -> 0,
            recording(api, HttpResponse.json(201, Json.object().put("ok", true))));
    server = LocalServer.start(runtime, 0, trustForwardedFor);
  }

  private java.net.http.HttpResponse<byte[]> send(java.net.http.HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return client.send(request.timeout(Duration.ofSeconds(30)).build(), BodyHandlers.ofByteArray());
  }

  private java.net.http.HttpRequest.Builder to(String pathAndQuery) {
    return java.net.http.HttpRequest.newBuilder(URI.create(server.baseUrl() + pathAndQuery));
  }

  @Test
  void hit_getWithQueryAndHeaders_reachesWebhookFunctionAsApiGatewayWouldSendIt() throws Exception {
    start(false, new HttpResponse(200, Map.of("Content-Type", "text/plain"), "hello"));

    java.net.http.HttpResponse<byte[]> response =
        send(
            to("/hooks/abc123?tag=a&tag=b&note=caf%C3%A9")
                .header("Hmac", "f00d")
                .header("Cookie", "a=1; b=2")
                .GET());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("hello");
    assertThat(response.headers().firstValue("content-type")).contains("text/plain");
    HttpRequest r = hooks.get(0);
    assertThat(r.method()).isEqualTo("GET");
    assertThat(r.path()).isEqualTo("/hooks/abc123");
    assertThat(r.rawQuery()).isEqualTo("tag=a&tag=b&note=caf%C3%A9");
    assertThat(r.query().get("tag")).containsExactly("a", "b");
    assertThat(r.firstQuery("note")).contains("café");
    assertThat(r.headers().first("HMAC")).contains("f00d");
    assertThat(r.headers().first("cookie")).contains("a=1; b=2");
    assertThat(r.sourceIp()).isEqualTo("127.0.0.1");
    assertThat(r.baseUrl()).isEqualTo(server.baseUrl());
    assertThat(r.url()).isEqualTo(server.baseUrl() + "/hooks/abc123?tag=a&tag=b&note=caf%C3%A9");
    assertThat(api).isEmpty();
  }

  @Test
  void hit_binaryBody_arrivesByteExact() throws Exception {
    start(false, HttpResponse.json(200, Json.object()));
    byte[] binary = {(byte) 0xff, 0x00, (byte) 0xc3, 0x28, 0x41};
    String text = "{\"text\":\"Привет ✓\"}";

    send(to("/hooks/abc").POST(BodyPublishers.ofByteArray(binary)));
    send(
        to("/hooks/abc")
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofString(text)));

    assertThat(hooks.get(0).body()).isEqualTo(binary);
    assertThat(new String(hooks.get(1).body(), StandardCharsets.UTF_8)).isEqualTo(text);
  }

  @Test
  void hit_queryInPath_isRoutedAsOneHookSegment() throws Exception {
    start(false, HttpResponse.json(200, Json.object()));

    java.net.http.HttpResponse<byte[]> response = send(to("/hooks/abc&task_id=5").GET());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(hooks.get(0).path()).isEqualTo("/hooks/abc&task_id=5");
  }

  @Test
  void hit_otherMethod_reachesWebhookFunctionForIts405() throws Exception {
    start(false, HttpResponse.error(405, "method not allowed", Map.of("Allow", "GET, POST")));

    java.net.http.HttpResponse<byte[]> response = send(to("/hooks/abc").DELETE());

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).contains("GET, POST");
    assertThat(hooks.get(0).method()).isEqualTo("DELETE");
  }

  @Test
  void redirect_passesThroughWithLocation() throws Exception {
    start(false, new HttpResponse(302, Map.of("Location", "https://cataas.com/cat"), ""));

    java.net.http.HttpResponse<byte[]> response = send(to("/hooks/abc").GET());

    assertThat(response.statusCode()).isEqualTo(302);
    assertThat(response.headers().firstValue("location")).contains("https://cataas.com/cat");
  }

  @Test
  void botsRoutes_reachBotApiFunction() throws Exception {
    start(false, HttpResponse.json(200, Json.object()));

    java.net.http.HttpResponse<byte[]> created =
        send(to("/bots").POST(BodyPublishers.ofString("{\"name\":\"x\"}")));
    send(
        to("/bots/b1/commands/%2FonWebhook")
            .header("Content-Type", "text/plain")
            .PUT(BodyPublishers.ofString("Bot.sendMessage(1)")));

    assertThat(created.statusCode()).isEqualTo(201);
    // As an HTTP API hands the path over: decoded, so the name is the rest of the path.
    assertThat(api)
        .extracting(HttpRequest::path)
        .containsExactly("/bots", "/bots/b1/commands//onWebhook");
    assertThat(hooks).isEmpty();
  }

  @Test
  void unknownRoute_answers404LikeApiGateway() throws Exception {
    start(false, HttpResponse.json(200, Json.object()));

    java.net.http.HttpResponse<byte[]> root = send(to("/").GET());
    java.net.http.HttpResponse<byte[]> hooksRoot = send(to("/hooks").GET());

    assertThat(root.statusCode()).isEqualTo(404);
    assertThat(Json.MAPPER.readTree(root.body()).path("message").asText()).isEqualTo("Not Found");
    assertThat(hooksRoot.statusCode()).isEqualTo(404);
    assertThat(hooks).isEmpty();
    assertThat(api).isEmpty();
  }

  @Test
  void trustForwardedFor_takesTheRightmostAddress() throws Exception {
    start(true, HttpResponse.json(200, Json.object()));

    send(to("/hooks/abc").header("X-Forwarded-For", "10.0.0.1, 198.51.100.7").GET());
    send(to("/hooks/abc").GET());

    assertThat(hooks)
        .extracting(HttpRequest::sourceIp)
        .containsExactly("198.51.100.7", "127.0.0.1");
  }

  @Test
  void withoutTrustForwardedFor_ignoresTheHeader() throws Exception {
    start(false, HttpResponse.json(200, Json.object()));

    send(to("/hooks/abc").header("X-Forwarded-For", "198.51.100.7").GET());

    assertThat(hooks.get(0).sourceIp()).isEqualTo("127.0.0.1");
  }

  @Test
  void endpointFailure_answers500WithTheHandlersFixedBody() throws Exception {
    LocalRuntime runtime =
        LocalRuntime.of(
            request -> {
              throw new IllegalStateException("boom");
            },
            () -> 0,
            recording(api, HttpResponse.json(200, Json.object())));
    server = LocalServer.start(runtime, 0, false);

    java.net.http.HttpResponse<byte[]> response;
    PrintStream originalErr = System.err;
    System.setErr(new PrintStream(OutputStream.nullOutputStream()));
    try {
      response = send(to("/hooks/abc").GET());
    } finally {
      System.setErr(originalErr);
    }

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(new String(response.body(), StandardCharsets.UTF_8))
        .isEqualTo("{\"error\":\"internal error\"}");
  }

  @Test
  void realDeployment_answersThroughTheGatewayWithJsonErrors() throws Exception {
    Deployment deployment = Deployment.local(Settings.defaults());
    server =
        LocalServer.start(LocalRuntime.of(deployment.webhooks(), deployment.hitService()::runDueRuns, deployment.botApi()), 0, false);

    java.net.http.HttpResponse<byte[]> hit = send(to("/hooks/AAAAAAAAAAAAAAAAAAAAAA").GET());
    java.net.http.HttpResponse<byte[]> unauthorized =
        send(to("/bots").POST(BodyPublishers.ofString("{\"name\":\"x\"}")));

    for (java.net.http.HttpResponse<byte[]> response : List.of(hit, unauthorized)) {
      assertThat(response.statusCode()).isBetween(400, 599).isNotEqualTo(500);
      JsonNode body = Json.MAPPER.readTree(response.body());
      assertThat(body.path("error").isTextual()).isTrue();
    }
  }

  /**
   * The local stand-in for the outbound-call function's schedule: a call a commit kept and the
   * queue never made is made by the server's poll once it is due, once.
   */
  @Test
  void aKeptCallThatIsDue_isMadeByTheServersPoll() throws Exception {
    try (TestServer service = new TestServer()) {
      service.on("/notify", ex -> TestServer.answer(ex, 200, "text/plain", "ok"));
      MemoryStore store = new MemoryStore();
      Deployment deployment =
          new Deployment(
              Settings.defaults(), store, IdGenerator.secure(), Clock.systemUTC(),
              EgressSettings.defaults().withAllowed(Set.of(service.hostPort())), Optional.empty());
      HttpCall call =
          new HttpCall(
              IdGenerator.secure().timeOrderedId(Instant.now().minusSeconds(1)), "b1",
              "h".repeat(22), null, "http://localhost",
              new HttpCall.Request(
                  "POST", service.url("/notify"), Map.of(), "paid", false, null, null,
                  Json.object()));
      store.commit(
          new Commit("b1", List.of(), List.of(), List.of(), "t1").withCalls(List.of(call)));
      server =
          LocalServer.start(
              LocalRuntime.of(
                  deployment.webhooks(), deployment.hitService()::runDueRuns, deployment.botApi(),
                  deployment.httpCalls()),
              0,
              false);

      Instant giveUp = Instant.now().plusSeconds(20);
      while (service.received.isEmpty() && Instant.now().isBefore(giveUp)) {
        Thread.sleep(100);
      }
      Thread.sleep(6_000); // one poll more

      assertThat(service.received).extracting(TestServer.Received::body).containsExactly("paid");
      assertThat(store.dueCalls(Instant.now(), 10)).isEmpty();
    }
  }
}
