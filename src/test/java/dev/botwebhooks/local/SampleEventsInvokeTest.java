package dev.botwebhooks.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.egress.EgressSettings;
import dev.botwebhooks.egress.TestServer;
import dev.botwebhooks.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every sample event in {@code events/}, through {@code invoke.sh}'s path (Invoke: the handler built
 * as Lambda builds it, on the embedded store seeded from {@code events/seed.json}), answers what
 * its name says.
 */
class SampleEventsInvokeTest {
  /** The status each sample's name promises; the failure scenarios stay failures. */
  private static final Map<String, Integer> STATUS_BY_NAME =
      Map.ofEntries(
          Map.entry("hit-get.json", 200),
          Map.entry("hit-post-json.json", 200),
          Map.entry("hit-post-form.json", 200),
          Map.entry("hit-post-base64.json", 200),
          Map.entry("hit-query-in-path.json", 200),
          Map.entry("hit-rest-api-v1.json", 200),
          Map.entry("hit-function-url.json", 200),
          Map.entry("hit-unknown-id.json", 404),
          Map.entry("hit-wrong-method.json", 405),
          Map.entry("api-create-bot.json", 201),
          Map.entry("api-upload-command.json", 200),
          Map.entry("api-mint.json", 201),
          Map.entry("api-bad-mint.json", 400),
          Map.entry("api-list-messages.json", 200));

  private record Answer(int code, JsonNode response, String err) {}

  private static Answer invoke(String function, String event) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);
    PrintStream originalErr = System.err;
    System.setErr(errors); // the functions' log lines too
    int code;
    try {
      code =
          Invoke.run(
              new String[] {function, "events/" + event},
              new PrintStream(out, true, StandardCharsets.UTF_8),
              errors);
    } finally {
      System.setErr(originalErr);
    }
    return new Answer(
        code,
        Json.MAPPER.readTree(out.toString(StandardCharsets.UTF_8)),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void everySampleEvent_answersWhatItsNameSays() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("events"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(
              Stream.concat(
                      STATUS_BY_NAME.keySet().stream(),
                      Stream.of(
                          "schedule-due-runs.json",
                          "schedule-due-calls.json",
                          "sqs-http-call.json",
                          Invoke.SEED_FILE))
                  .toList());
    }
    for (Map.Entry<String, Integer> sample : STATUS_BY_NAME.entrySet()) {
      String function = sample.getKey().startsWith("api-") ? "BotApiFunction" : "WebhookFunction";

      Answer answer = invoke(function, sample.getKey());

      assertThat(answer.code()).as(sample.getKey()).isZero();
      assertThat(answer.response().path("statusCode").asInt())
          .as(sample.getKey() + ": " + answer.response())
          .isEqualTo(sample.getValue());
      assertThat(answer.err()).as(sample.getKey()).contains("seeded from events/seed.json");
      assertThat(answer.err()).as("the primed hit logs no request").doesNotContain("prime");
    }
  }

  @Test
  void hitSamples_runTheSeededCommand() throws IOException {
    JsonNode form = invoke("WebhookFunction", "hit-post-form.json").response();
    JsonNode get = invoke("WebhookFunction", "hit-get.json").response();

    assertThat(Json.MAPPER.readTree(form.path("body").asText()).path("answer").asText())
        .isEqualTo("order_id=A-1002&status=paid&comment=hello+world%21");
    assertThat(Json.MAPPER.readTree(get.path("body").asText()).path("answer").asText())
        .isEqualTo("Did you see the cat?");
  }

  @Test
  void scheduleSample_runsTheSeededDueRun() throws IOException {
    Answer answer = invoke("WebhookFunction", "schedule-due-runs.json");

    assertThat(answer.response().path("due_runs").asInt()).isEqualTo(1);
  }

  /**
   * The seed keeps the queue sample's call, as its run's commit would have, and it is due: the
   * outbound-call function's schedule makes it (refused without the allow list: its error command
   * runs) and the queue's message, coming after, finds it made.
   */
  @Test
  void dueCallsSample_makesTheSeededDueCall() throws IOException {
    Answer answer = invoke("HttpCallFunction", "schedule-due-calls.json");

    assertThat(answer.code()).isZero();
    assertThat(answer.response().path("due_calls").asInt()).isEqualTo(1);
    assertThat(answer.err()).contains("\"kind\":\"queued\"").contains("\"result\":\"error\"");
  }

  @Test
  void queueSample_withoutTheAllowList_isRefusedAndRunsTheErrorCommand() throws IOException {
    Answer answer = invoke("HttpCallFunction", "sqs-http-call.json");

    assertThat(answer.code()).isZero();
    JsonNode outcome = answer.response().path("outcomes").elements().next();
    assertThat(outcome.path("result").asText()).isEqualTo("error");
    assertThat(outcome.path("callback_committed").asBoolean()).isTrue();
    assertThat(answer.response().path("batchItemFailures").size()).isZero();
  }

  /**
   * The queue sample through Invoke in a JVM of its own, as invoke.sh runs it, with {@code
   * HTTP_EGRESS_ALLOW} naming a local server the call's URL is pointed at: the call is made once
   * and its success command commits.
   */
  @Test
  void queueSample_withALocalServerAllowed_makesTheCallAndRunsTheSuccessCommand(
      @TempDir Path dir) throws Exception {
    try (TestServer server = new TestServer()) {
      server.on("/", ex -> TestServer.answer(ex, 200, "text/plain", "hello from the stand-in"));
      Files.writeString(
          dir.resolve("sqs-http-call.json"),
          Files.readString(Path.of("events/sqs-http-call.json"))
              .replace("127.0.0.1:8089", server.hostPort()));
      Files.copy(Path.of("events", Invoke.SEED_FILE), dir.resolve(Invoke.SEED_FILE));
      ProcessBuilder builder =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  Invoke.class.getName(),
                  "HttpCallFunction",
                  dir.resolve("sqs-http-call.json").toString())
              .redirectError(ProcessBuilder.Redirect.DISCARD);
      builder.environment().put(EgressSettings.HTTP_EGRESS_ALLOW, server.hostPort());
      Process process = builder.start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

      assertThat(process.waitFor()).as(out).isZero();
      JsonNode outcome = Json.MAPPER.readTree(out).path("outcomes").elements().next();
      assertThat(outcome.path("result").asText()).isEqualTo("success");
      assertThat(outcome.path("http_status").asInt()).isEqualTo(200);
      assertThat(outcome.path("callback_committed").asBoolean()).isTrue();
      assertThat(server.received).hasSize(1);
      assertThat(server.received.get(0).header("user-agent")).startsWith("bot-webhooks/");
    }
  }
}
