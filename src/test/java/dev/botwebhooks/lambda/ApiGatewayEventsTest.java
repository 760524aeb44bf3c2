package dev.botwebhooks.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.http.HttpRequest;
import dev.botwebhooks.http.UrlEncoded;
import dev.botwebhooks.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiGatewayEventsTest {
  private static final String HOOK = "q3Vb7xK0aT1mZpL9cR2sWg";
  private static final String API = "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com";

  private final CapturingEndpoint hooks = new CapturingEndpoint();
  private final CapturingEndpoint botApi = new CapturingEndpoint();

  private JsonNode run(FunctionName function, byte[] event) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (function == FunctionName.WEBHOOK) {
      new WebhookFunction(hooks, () -> 0).handleRequest(new ByteArrayInputStream(event), out, null);
    } else {
      new BotApiFunction(botApi).handleRequest(new ByteArrayInputStream(event), out, null);
    }
    return Json.MAPPER.readTree(out.toByteArray());
  }

  private HttpRequest hit(String eventFile) throws IOException {
    JsonNode response = run(FunctionName.WEBHOOK, SampleEvents.bytes(eventFile));
    assertThat(response.path("statusCode").asInt()).isEqualTo(200);
    return hooks.only();
  }

  private HttpRequest api(String eventFile) throws IOException {
    JsonNode response = run(FunctionName.BOT_API, SampleEvents.bytes(eventFile));
    assertThat(response.path("statusCode").asInt()).isEqualTo(200);
    return botApi.only();
  }

  private static String text(HttpRequest request) {
    return new String(request.body(), StandardCharsets.UTF_8);
  }

  @Test
  void httpApiGet_translatesMethodPathQueryHeadersIpAndBaseUrl() throws IOException {
    HttpRequest r = hit("hit-get.json");

    assertThat(r.method()).isEqualTo("GET");
    assertThat(r.path()).isEqualTo("/hooks/" + HOOK);
    assertThat(r.rawQuery()).isEqualTo("source=email&tag=a&tag=b&note=caf%C3%A9+au+lait");
    assertThat(r.query().get("tag")).containsExactly("a", "b");
    assertThat(r.firstQuery("note")).contains("café au lait");
    assertThat(r.headers().first("User-Agent")).contains("curl/8.5.0");
    assertThat(r.headers().first("ACCEPT-LANGUAGE")).contains("en-GB,en;q=0.9");
    assertThat(r.headers().first("Cookie")).contains("session=abc123; theme=dark");
    assertThat(r.body()).isEmpty();
    assertThat(r.sourceIp()).isEqualTo("203.0.113.10");
    assertThat(r.requestId()).isEqualTo("Zz5Yb0a1IAMEVxQ=");
    assertThat(r.baseUrl()).isEqualTo(API);
    assertThat(r.url()).isEqualTo(API + "/hooks/" + HOOK + "?" + r.rawQuery());
  }

  @Test
  void httpApiPostJson_keepsBodyByteExact() throws IOException {
    HttpRequest r = hit("hit-post-json.json");

    assertThat(r.method()).isEqualTo("POST");
    assertThat(text(r))
        .isEqualTo("{\"order_id\": \"A-1001\", \"status\": \"paid\", \"amount\": 12.5}");
    assertThat(r.headers().first("Content-Type")).contains("application/json");
    assertThat(r.headers().first("Hmac")).contains("5d41402abc4b2a76b9719d911017c592");
    assertThat(r.sourceIp()).isEqualTo("198.51.100.23");
    assertThat(r.rawQuery()).isEmpty();
    assertThat(r.query()).isEmpty();
  }

  @Test
  void httpApiPostForm_passesTheFormBodyThrough() throws IOException {
    HttpRequest r = hit("hit-post-form.json");

    assertThat(text(r)).isEqualTo("order_id=A-1002&status=paid&comment=hello+world%21");
    assertThat(r.headers().first("content-type")).contains("application/x-www-form-urlencoded");
  }

  @Test
  void base64Body_isDecodedToTheOriginalBytes() throws IOException {
    HttpRequest r = hit("hit-post-base64.json");

    assertThat(text(r)).isEqualTo("{\"event\":\"payment\",\"text\":\"Привет, мир ✓\"}");
  }

  @Test
  void unknownIdAndWrongMethod_reachTheEndpointUnchanged() throws IOException {
    HttpRequest unknown = hit("hit-unknown-id.json");
    hooks.requests.clear();
    HttpRequest delete = hit("hit-wrong-method.json");

    assertThat(unknown.path()).isEqualTo("/hooks/AAAAAAAAAAAAAAAAAAAAAA");
    assertThat(delete.method()).isEqualTo("DELETE");
    assertThat(delete.path()).isEqualTo("/hooks/" + HOOK);
  }

  @Test
  void queryInPath_keepsTheRawPathForTheEndpoint() throws IOException {
    HttpRequest r = hit("hit-query-in-path.json");

    assertThat(r.path()).isEqualTo("/hooks/" + HOOK + "&task_id=5");
    assertThat(r.rawQuery()).isEmpty();
    assertThat(r.url()).isEqualTo(API + "/hooks/" + HOOK + "&task_id=5");
  }

  @Test
  void restApiV1_readsMultiValuesIdentityIpAndStageInBaseUrl() throws IOException {
    HttpRequest r = hit("hit-rest-api-v1.json");

    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/hooks/" + HOOK);
    assertThat(r.query().get("tag")).containsExactly("a", "b");
    assertThat(r.firstQuery("from")).contains("rest");
    assertThat(r.rawQuery()).isEqualTo("tag=a&tag=b&from=rest");
    assertThat(r.headers().all("x-custom")).containsExactly("one", "two");
    assertThat(r.headers().first("content-type")).contains("application/json");
    assertThat(r.sourceIp()).isEqualTo("198.51.100.77");
    assertThat(r.requestId()).isEqualTo("c6af9ac6-7b61-11e6-9a41-93e8deadbeef");
    assertThat(r.baseUrl())
        .isEqualTo("https://k9j8h7g6f5.execute-api.eu-west-1.amazonaws.com/prod");
    assertThat(text(r)).isEqualTo("{\"order_id\":\"A-2001\",\"status\":\"paid\"}");
  }

  /**
   * A REST API's path leaves its stage out (requestContext.path has it), so a stage named like the
   * path's first segment is not taken off it; an HTTP API's payload 1.0 event, whose path has its
   * named stage as requestContext.path does, has it taken off.
   */
  @Test
  void restApiV1_stageIsTakenOffOnlyWhereThePathHasIt() throws IOException {
    ObjectNode rest =
        (ObjectNode) Json.MAPPER.readTree(SampleEvents.bytes("hit-rest-api-v1.json"));
    ((ObjectNode) rest.path("requestContext"))
        .put("stage", "hooks")
        .put("path", "/hooks/hooks/" + HOOK);
    run(FunctionName.WEBHOOK, Json.MAPPER.writeValueAsBytes(rest));
    assertThat(hooks.only().path()).isEqualTo("/hooks/" + HOOK);
    hooks.requests.clear();

    ObjectNode httpApi =
        (ObjectNode) Json.MAPPER.readTree(SampleEvents.bytes("hit-rest-api-v1.json"));
    httpApi.put("path", "/prod/hooks/" + HOOK);
    ((ObjectNode) httpApi.path("requestContext")).put("path", "/prod/hooks/" + HOOK);
    run(FunctionName.WEBHOOK, Json.MAPPER.writeValueAsBytes(httpApi));
    assertThat(hooks.only().path()).isEqualTo("/hooks/" + HOOK);
  }

  /**
   * An HTTP API percent-decodes the path before the function sees it ({@code %2FonWebhook} comes
   * as {@code /onWebhook}, {@code 100%25 off} as {@code 100% off}): it is escaped again, a slash
   * kept as a slash; a function URL's path comes escaped and is kept as it is.
   */
  @Test
  void httpApiDecodedPath_isEscapedAgain_functionUrlPathIsKept() throws IOException {
    ObjectNode event = (ObjectNode) Json.MAPPER.readTree(SampleEvents.bytes("api-upload-command.json"));
    event.put("rawPath", "/bots/b7Qm2xT9kLpV/commands/100% off é\"<>");
    run(FunctionName.BOT_API, Json.MAPPER.writeValueAsBytes(event));
    HttpRequest r = botApi.only();
    assertThat(r.path()).isEqualTo("/bots/b7Qm2xT9kLpV/commands/100%25%20off%20%C3%A9%22%3C%3E");

    ObjectNode url = (ObjectNode) Json.MAPPER.readTree(SampleEvents.bytes("hit-function-url.json"));
    url.put("rawPath", "/hooks/" + HOOK + "&note=a%26b");
    run(FunctionName.WEBHOOK, Json.MAPPER.writeValueAsBytes(url));
    assertThat(hooks.only().path()).isEqualTo("/hooks/" + HOOK + "&note=a%26b");
  }

  @Test
  void functionUrl_usesItsOwnDomainAsBaseUrl() throws IOException {
    HttpRequest r = hit("hit-function-url.json");

    assertThat(r.baseUrl())
        .isEqualTo("https://x7k2m9p4q1r8s5t3u6v0w2y4z6a8b0c2.lambda-url.eu-west-1.on.aws");
    assertThat(r.firstQuery("ref")).contains("fn-url");
    assertThat(r.sourceIp()).isEqualTo("192.0.2.44");
    assertThat(text(r)).isEqualTo("{\"ping\":true}");
  }

  @Test
  void botApiEvents_carryAuthorizationBodyAndEncodedCommandName() throws IOException {
    HttpRequest create = api("api-create-bot.json");
    botApi.requests.clear();
    HttpRequest upload = api("api-upload-command.json");
    botApi.requests.clear();
    HttpRequest mint = api("api-mint.json");
    botApi.requests.clear();
    HttpRequest badMint = api("api-bad-mint.json");
    botApi.requests.clear();
    HttpRequest list = api("api-list-messages.json");

    assertThat(create.method()).isEqualTo("POST");
    assertThat(create.path()).isEqualTo("/bots");
    assertThat(create.headers().first("Authorization"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer "));
    assertThat(upload.method()).isEqualTo("PUT");
    // As an HTTP API hands it over: %2FonWebhook decoded, the name being the rest of the path.
    assertThat(upload.path()).isEqualTo("/bots/b7Qm2xT9kLpV/commands//onWebhook");
    assertThat(text(upload)).contains("Bot.sendMessage(inspect(content))");
    assertThat(Json.MAPPER.readTree(mint.body()).path("redirect_to").asText())
        .isEqualTo("https://cataas.com/cat");
    assertThat(Json.MAPPER.readTree(badMint.body()).path("redirect_to").asText())
        .isEqualTo("javascript:alert(1)");
    assertThat(list.method()).isEqualTo("GET");
    assertThat(list.firstQuery("user_id")).contains("1");
    assertThat(list.firstQuery("limit")).contains("10");
  }

  @Test
  void response_isStatusHeadersBodyNotBase64() throws IOException {
    JsonNode response = run(FunctionName.WEBHOOK, SampleEvents.bytes("hit-get.json"));

    assertThat(response.path("statusCode").asInt()).isEqualTo(200);
    assertThat(response.path("headers").path("Content-Type").asText()).isEqualTo("text/plain");
    assertThat(response.path("body").asText()).isEqualTo("seen");
    assertThat(response.path("isBase64Encoded").asBoolean(true)).isFalse();
  }

  @Test
  void parseQuery_badPercentEscape_keepsRawText() {
    assertThat(UrlEncoded.parse("a=%ZZ&b=100%&c=ok%21&flag&=x&&"))
        .containsEntry("a", List.of("%ZZ"))
        .containsEntry("b", List.of("100%"))
        .containsEntry("c", List.of("ok!"))
        .containsEntry("flag", List.of(""))
        .containsEntry("", List.of("x"));
  }

  @Test
  void baseUrl_localDomain_usesHostHeaderOverHttp() throws IOException {
    ObjectNode event = (ObjectNode) Json.MAPPER.readTree(SampleEvents.bytes("hit-get.json"));
    ((ObjectNode) event.path("requestContext")).put("domainName", "localhost");
    ((ObjectNode) event.path("headers")).put("host", "127.0.0.1:3123");

    run(FunctionName.WEBHOOK, Json.MAPPER.writeValueAsBytes(event));

    assertThat(hooks.only().baseUrl()).isEqualTo("http://127.0.0.1:3123");
  }

  @Test
  void baseUrl_namedHttpApiStage_isPrefixedAndStrippedFromPath() throws IOException {
    ObjectNode event = (ObjectNode) Json.MAPPER.readTree(SampleEvents.bytes("hit-get.json"));
    event.put("rawPath", "/beta/hooks/" + HOOK);
    ((ObjectNode) event.path("requestContext")).put("stage", "beta");

    run(FunctionName.WEBHOOK, Json.MAPPER.writeValueAsBytes(event));

    assertThat(hooks.only().path()).isEqualTo("/hooks/" + HOOK);
    assertThat(hooks.only().baseUrl()).isEqualTo(API + "/beta");
  }
}
