package dev.botwebhooks.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.http.HttpEndpoint;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.wiring.Deployment;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FunctionsTest {
  private static JsonNode invoke(RequestStreamHandler handler, byte[] event) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(event), out, null);
    return Json.MAPPER.readTree(out.toByteArray());
  }

  private static String captureStderr(ThrowingRunnable action) throws IOException {
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    return err.toString(StandardCharsets.UTF_8);
  }

  private interface ThrowingRunnable {
    void run() throws IOException;
  }

  @Test
  void sampleEvents_readAsTheLambdaJavaEventsTypes() {
    ScheduledEvent schedule =
        (ScheduledEvent) LambdaEvents.read(SampleEvents.bytes("schedule-due-runs.json"));
    APIGatewayV2HTTPEvent hit =
        (APIGatewayV2HTTPEvent) LambdaEvents.read(SampleEvents.bytes("hit-post-base64.json"));
    APIGatewayProxyRequestEvent rest =
        (APIGatewayProxyRequestEvent) LambdaEvents.read(SampleEvents.bytes("hit-rest-api-v1.json"));

    assertThat(schedule.getDetailType()).isEqualTo("Scheduled Event");
    assertThat(schedule.getResources()).hasSize(1);
    assertThat(hit.getRequestContext().getHttp().getMethod()).isEqualTo("POST");
    assertThat(hit.getIsBase64Encoded()).isTrue();
    assertThat(hit.getPathParameters()).containsEntry("id", "q3Vb7xK0aT1mZpL9cR2sWg");
    assertThat(rest.getMultiValueQueryStringParameters().get("tag")).containsExactly("a", "b");
  }

  @Test
  void typedHandlers_takeAndAnswerTheLambdaJavaEventsTypes() {
    CapturingEndpoint hooks = new CapturingEndpoint();
    WebhookFunction function = new WebhookFunction(hooks, () -> 2);
    APIGatewayV2HTTPEvent event =
        APIGatewayV2HTTPEvent.builder()
            .withRawPath("/hooks/abcdefghijklmnop")
            .withRawQueryString("a=1")
            .withHeaders(java.util.Map.of("host", "example.com"))
            .withRequestContext(
                APIGatewayV2HTTPEvent.RequestContext.builder()
                    .withRequestId("r-1")
                    .withDomainName("example.com")
                    .withHttp(
                        APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                            .withMethod("GET")
                            .withSourceIp("192.0.2.1")
                            .build())
                    .build())
            .build();

    APIGatewayV2HTTPResponse response = function.hit(event, null);
    java.util.Map<String, Integer> due = function.runDueRuns(new ScheduledEvent(), null);

    assertThat(response.getStatusCode()).isEqualTo(200);
    assertThat(response.getBody()).isEqualTo("seen");
    assertThat(hooks.only().firstQuery("a")).contains("1");
    assertThat(hooks.only().sourceIp()).isEqualTo("192.0.2.1");
    assertThat(hooks.only().requestId()).isEqualTo("r-1");
    assertThat(due).containsEntry("due_runs", 2);
  }

  @Test
  void scheduleEvent_executesDueRuns_withoutTouchingTheEndpoint() throws IOException {
    int[] polls = {0};
    HttpEndpoint unused =
        request -> {
          throw new AssertionError("a schedule event is not an HTTP request");
        };
    WebhookFunction function = new WebhookFunction(unused, () -> ++polls[0] * 3);

    JsonNode result = invoke(function, SampleEvents.bytes("schedule-due-runs.json"));

    assertThat(polls[0]).isEqualTo(1);
    assertThat(result.path("due_runs").asInt()).isEqualTo(3);
  }

  /**
   * The schedule claims only runs that can finish within the invocation's remaining time (a run
   * cut off by the timeout after its claim would be lost); without a context there is no end.
   */
  @Test
  void scheduleEvent_boundsItsClaimsByTheInvocationsRemainingTime() {
    java.util.List<java.util.Optional<java.time.Instant>> asked = new java.util.ArrayList<>();
    HttpEndpoint unused =
        request -> {
          throw new AssertionError("a schedule event is not an HTTP request");
        };
    WebhookFunction function =
        new WebhookFunction(
            unused,
            endBy -> {
              asked.add(endBy);
              return 0;
            },
            () -> 0,
            () -> {});
    com.amazonaws.services.lambda.runtime.Context twentySecondsLeft =
        (com.amazonaws.services.lambda.runtime.Context)
            java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {com.amazonaws.services.lambda.runtime.Context.class},
                (proxy, method, args) ->
                    method.getName().equals("getRemainingTimeInMillis") ? 20_000 : null);

    java.time.Instant before = java.time.Instant.now();
    function.runDueRuns(new ScheduledEvent(), twentySecondsLeft);
    java.time.Instant after = java.time.Instant.now();
    function.runDueRuns(new ScheduledEvent(), null);

    assertThat(asked.get(0))
        .hasValueSatisfying(
            endBy -> assertThat(endBy).isBetween(before.plusSeconds(20), after.plusSeconds(20)));
    assertThat(asked.get(1)).isEmpty();
  }

  @Test
  void endpointThrows_answers500WithFixedBody_andLogsRequestId() throws IOException {
    HttpEndpoint failing =
        request -> {
          throw new IllegalStateException("secret detail of table bot-webhooks");
        };
    JsonNode[] response = new JsonNode[1];

    String log =
        captureStderr(
            () ->
                response[0] =
                    invoke(new WebhookFunction(failing, () -> 0), SampleEvents.bytes("hit-post-json.json")));

    assertThat(response[0].path("statusCode").asInt()).isEqualTo(500);
    assertThat(response[0].path("body").asText()).isEqualTo("{\"error\":\"internal error\"}");
    assertThat(response[0].toString()).doesNotContain("secret", "IllegalStateException");
    assertThat(log).contains("Zz5Yc1b2IAMEVyA=").contains("IllegalStateException");
  }

  @Test
  void endpointThrowsError_stillAnswers500() throws IOException {
    HttpEndpoint failing =
        request -> {
          throw new StackOverflowError();
        };

    JsonNode[] response = new JsonNode[1];
    captureStderr(
        () ->
            response[0] =
                invoke(new BotApiFunction(failing), SampleEvents.bytes("api-create-bot.json")));

    assertThat(response[0].path("statusCode").asInt()).isEqualTo(500);
  }

  @Test
  void malformedEventJson_answers400() throws IOException {
    CapturingEndpoint endpoint = new CapturingEndpoint();
    JsonNode[] responses = new JsonNode[3];

    captureStderr(
        () -> {
          WebhookFunction function = new WebhookFunction(endpoint, () -> 0);
          responses[0] = invoke(function, "{not json".getBytes(StandardCharsets.UTF_8));
          responses[1] = invoke(function, "[1,2]".getBytes(StandardCharsets.UTF_8));
          responses[2] = invoke(function, "{\"hello\":1}".getBytes(StandardCharsets.UTF_8));
        });

    assertThat(responses).allSatisfy(r -> assertThat(r.path("statusCode").asInt()).isEqualTo(400));
    assertThat(endpoint.requests).isEmpty();
  }

  @Test
  void badBase64Body_answers400() throws IOException {
    ObjectNode event =
        (ObjectNode) Json.MAPPER.readTree(SampleEvents.bytes("hit-post-base64.json"));
    event.put("body", "***not base64***");
    CapturingEndpoint endpoint = new CapturingEndpoint();
    JsonNode[] response = new JsonNode[1];

    captureStderr(
        () ->
            response[0] =
                invoke(new WebhookFunction(endpoint, () -> 0), Json.MAPPER.writeValueAsBytes(event)));

    assertThat(response[0].path("statusCode").asInt()).isEqualTo(400);
  }

  @Test
  void webhookFunction_pathOutsideHooks_answers404FromTheEndpoint() throws IOException {
    Deployment deployment = Deployment.local(Settings.defaults());
    JsonNode[] response = new JsonNode[1];

    captureStderr(
        () ->
            response[0] =
                invoke(
                    new WebhookFunction(deployment.webhooks(), () -> 0),
                    SampleEvents.bytes("api-list-messages.json")));

    assertThat(response[0].path("statusCode").asInt()).isEqualTo(404);
    assertThat(Json.MAPPER.readTree(response[0].path("body").asText()).path("error").asText())
        .isEqualTo("not found");
  }

  @Test
  void botApiFunction_pathOutsideBots_answers404FromTheEndpoint() throws IOException {
    Deployment deployment = Deployment.local(Settings.defaults());

    JsonNode response =
        invoke(new BotApiFunction(deployment.botApi()), SampleEvents.bytes("hit-unknown-id.json"));

    assertThat(response.path("statusCode").asInt()).isEqualTo(404);
    assertThat(Json.MAPPER.readTree(response.path("body").asText()).path("error").asText())
        .isEqualTo("no such route");
  }

  @Test
  void handlersOfTemplate_areTheFunctionClasses() {
    assertThat(FunctionName.WEBHOOK.handler())
        .isEqualTo("dev.botwebhooks.lambda.WebhookFunction::handleRequest");
    assertThat(FunctionName.BOT_API.handler())
        .isEqualTo("dev.botwebhooks.lambda.BotApiFunction::handleRequest");
  }
}
