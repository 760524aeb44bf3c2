package dev.botwebhooks.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.core.HttpCall;
import dev.botwebhooks.core.StoreUnavailableException;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.queue.HttpCallMessages;
import dev.botwebhooks.webhook.HttpCallExecutor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The queue's function: each record one call; store failures go back to the queue. */
class HttpCallFunctionTest {
  private static HttpCall call(String id, String url) {
    return new HttpCall(
        id, "bot1", "hook1", "1", "https://api.example.test",
        new HttpCall.Request(
            "POST", url, Map.of("X-A", "1"), "{\"a\":1}", true, "/ok", "/err",
            Json.object().put("ref", "r1")));
  }

  @Test
  void aCallSurvivesTheQueueMessageUnchanged() {
    HttpCall call = call("c1", "http://127.0.0.1:9/x");
    assertThat(HttpCallMessages.read(HttpCallMessages.write(call))).isEqualTo(call);
  }

  @Test
  void eachRecordIsExecuted_storeFailuresAreGivenBack_garbageIsDropped() throws IOException {
    List<String> executed = new ArrayList<>();
    HttpCallFunction function =
        new HttpCallFunction(
            c -> {
              executed.add(c.id());
              if (c.id().equals("down")) {
                throw new StoreUnavailableException("store down", null);
              }
              return new HttpCallExecutor.Outcome(
                  c.id().equals("again") ? "redelivery" : "success", 200, true);
            });
    ObjectNode event = Json.object();
    ArrayNode records = event.putArray("Records");
    records.addObject().put("messageId", "m1").put("body", HttpCallMessages.write(call("ok", "http://a.example/")));
    records.addObject().put("messageId", "m2").put("body", "not a call");
    records.addObject().put("messageId", "m3").put("body", HttpCallMessages.write(call("down", "http://a.example/")));
    records.addObject().put("messageId", "m4").put("body", HttpCallMessages.write(call("again", "http://a.example/")));

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
}
