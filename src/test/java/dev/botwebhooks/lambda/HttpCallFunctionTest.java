package dev.botwebhooks.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.core.HttpCall;
import dev.botwebhooks.core.StoreUnavailableException;
import dev.botwebhooks.json.HttpCallJson;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.webhook.HttpCallExecutor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The queue's function: each record one call; store failures go back to the queue. */
class HttpCallFunctionTest {
  /** A call whose id ends with {@code tag}. */
  private static HttpCall call(String tag, String url) {
    return new HttpCall(
        "1767225600000-" + tag, "bot1", "hook1", "1", "https://api.example.test",
        new HttpCall.Request(
            "POST", url, Map.of("X-A", "1"), "{\"a\":1}", true, "/ok", "/err",
            Json.object().put("ref", "r1")));
  }

  @Test
  void aCallSurvivesTheQueueMessageUnchanged() {
    HttpCall call = call("c1", "http://127.0.0.1:9/x");
    assertThat(HttpCallJson.read(HttpCallJson.write(call))).isEqualTo(call);
  }

  @Test
  void eachRecordIsExecuted_storeFailuresAreGivenBack_garbageIsDropped() throws IOException {
    List<String> executed = new ArrayList<>();
    HttpCallFunction function =
        new HttpCallFunction(
            c -> {
              String tag = c.id().substring(c.id().lastIndexOf('-') + 1);
              executed.add(tag);
              if (tag.equals("down")) {
                throw new StoreUnavailableException("store down", null);
              }
              return new HttpCallExecutor.Outcome(
                  tag.equals("again") ? "redelivery" : "success", 200, true);
            },
            endBy -> {
              throw new AssertionError("an SQS event makes no due calls");
            });
    ObjectNode event = Json.object();
    ArrayNode records = event.putArray("Records");
    records.addObject().put("messageId", "m1").put("body", HttpCallJson.write(call("ok", "http://a.example/")));
    records.addObject().put("messageId", "m2").put("body", "not a call");
    records.addObject().put("messageId", "m3").put("body", HttpCallJson.write(call("down", "http://a.example/")));
    records.addObject().put("messageId", "m4").put("body", HttpCallJson.write(call("again", "http://a.example/")));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    function.handleRequest(
        new ByteArrayInputStream(Json.write(event).getBytes(StandardCharsets.UTF_8)), out, null);
    JsonNode result = Json.MAPPER.readTree(out.toByteArray());

    assertThat(executed).containsExactly("ok", "down", "again");
    assertThat(result.path("batchItemFailures").toString())
        .isEqualTo("[{\"itemIdentifier\":\"m3\"}]");
    assertThat(result.path("outcomes").path("m1").path("result").asText()).isEqualTo("success");
    assertThat(result.path("outcomes").path("m4").path("result").asText()).isEqualTo("redelivery");
    assertThat(result.path("outcomes").has("m2")).isFalse();
  }

  /** The template's schedule: due calls made within the invocation's time, and no record read. */
  @Test
  void aScheduleEvent_makesTheDueCalls_withinTheInvocationsTime() throws IOException {
    List<Optional<Instant>> asked = new ArrayList<>();
    HttpCallFunction function =
        new HttpCallFunction(
            c -> {
              throw new AssertionError("a schedule event carries no call");
            },
            endBy -> {
              asked.add(endBy);
              return 3;
            });
    Context fortySecondsLeft =
        (Context)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {Context.class},
                (proxy, method, args) ->
                    method.getName().equals("getRemainingTimeInMillis") ? 40_000 : null);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Instant before = Instant.now();
    function.handleRequest(
        new ByteArrayInputStream(SampleEvents.bytes("schedule-due-calls.json")), out,
        fortySecondsLeft);
    Instant after = Instant.now();

    assertThat(Json.MAPPER.readTree(out.toByteArray()).path("due_calls").asInt()).isEqualTo(3);
    assertThat(asked).hasSize(1);
    assertThat(asked.get(0))
        .hasValueSatisfying(
            endBy -> assertThat(endBy).isBetween(before.plusSeconds(40), after.plusSeconds(40)));
  }
}
