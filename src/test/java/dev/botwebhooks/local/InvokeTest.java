package dev.botwebhooks.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code Invoke} builds the handler as Lambda does and prints an API Gateway response. */
class InvokeTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Invoke.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void webhookEvent_printsAResponseEventAndTimings() throws IOException {
    int code = run("WebhookFunction", "events/hit-unknown-id.json");

    assertThat(code).isZero();
    JsonNode response = Json.MAPPER.readTree(out.toString(StandardCharsets.UTF_8));
    assertThat(response.path("statusCode").isInt()).isTrue();
    assertThat(response.path("body").isTextual()).isTrue();
    assertThat(response.path("isBase64Encoded").asBoolean(true)).isFalse();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("REPORT WebhookFunction init:");
  }

  @Test
  void botApiEvent_printsAResponseEvent() throws IOException {
    int code = run("BotApiFunction", "events/api-bad-mint.json");

    assertThat(code).isZero();
    JsonNode response = Json.MAPPER.readTree(out.toString(StandardCharsets.UTF_8));
    assertThat(response.path("statusCode").asInt()).isBetween(400, 599);
  }

  @Test
  void badArguments_printUsageAndExit2() {
    assertThat(run()).isEqualTo(2);
    assertThat(run("NoSuchFunction", "events/hit-get.json")).isEqualTo(2);
    assertThat(run("WebhookFunction", "events/missing.json")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("usage: invoke.sh <WebhookFunction|BotApiFunction|HttpCallFunction> <event.json>")
        .contains("unknown function 'NoSuchFunction'")
        .contains("no such event file");
  }
}
