package dev.botwebhooks.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.store.dynamodb.DynamoDbTestServer;
import dev.botwebhooks.store.dynamodb.DynamoStore;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The DynamoDB server process stopped (SIGSTOP) while hits arrive, then resumed (SIGCONT): hits
 * answer 503 with Retry-After and a JSON error within the store's timeouts, never a 500 or a hang;
 * a commit cut off by the stall is applied at most once, together with its message; afterwards
 * hits are served again.
 */
@ExtendWith(DynamoDbTestServer.class)
class StalledDynamoDbTest {
  private static final DynamoStore.Timeouts SHORT =
      new DynamoStore.Timeouts(Duration.ofMillis(300), Duration.ofSeconds(1), 2);

  @Test
  void hit_whileDynamoDbProcessIsStopped_answers503_thenServesAgain_nothingHalfWritten()
      throws Exception {
    ProcessHandle moto =
        DynamoDbTestServer.motoProcess()
            .orElseThrow(
                () -> new IllegalStateException("this test stops the moto_server it started"));
    Store store =
        DynamoDbTestServer.newStore(DynamoDbTestServer.freshTableName("stall"), SHORT);
    try (LocalService service = new LocalService(store, Map.of())) {
      BotClient bot = service.createBot("Stalled");
      // Reads, then computes for a while, then commits: the stall lands before or at the commit.
      bot.command(
          "/slowInc",
          String.join(
              "\n",
              "var n = Bot.getProperty('n', 0) + 1;",
              "var until = Date.now() + 800;",
              "while (Date.now() < until) {}",
              "Bot.setProperty('n', n, 'integer');",
              "Bot.sendMessage('n=' + n);"));
      String hook = bot.mint("{\"command\":\"/slowInc\",\"user_id\":\"u1\"}");
      assertThat(bot.hit(hook).statusCode()).isEqualTo(200);

      List<CompletableFuture<HttpResponse<String>>> during = new ArrayList<>();
      during.add(hitAsync(service, hook));
      Thread.sleep(400);
      signal("STOP", moto);
      List<HttpResponse<String>> answers = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          during.add(hitAsync(service, hook));
        }
        for (CompletableFuture<HttpResponse<String>> f : during) {
          // The guard against a hang, far above the store's timeouts; not a measurement.
          answers.add(f.get(LocalService.REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        }
      } finally {
        signal("CONT", moto);
      }

      long okDuring = 0;
      for (HttpResponse<String> a : answers) {
        assertThat(a.statusCode()).as(a.body()).isIn(200, 503);
        if (a.statusCode() == 200) {
          okDuring++;
          continue;
        }
        assertThat(a.headers().firstValue("Retry-After")).isPresent();
        JsonNode body = LocalService.parse(a.body());
        assertThat(body.get("error").asText()).isNotBlank();
        assertThat(a.body()).doesNotContain("Exception", "dynamodb", "java.");
      }
      assertThat(answers.subList(1, answers.size()))
          .extracting(HttpResponse::statusCode)
          .containsOnly(503);

      HttpResponse<String> after = hitAfterResume(bot, hook);
      assertThat(after.statusCode()).as(after.body()).isEqualTo(200);

      // Answered 200: 1 before, okDuring, 1 after. A commit the stall cut off may have been
      // applied when the server resumed, but only once and with its message.
      long served = 2 + okDuring;
      long n = bot.property("n").orElseThrow().asLong();
      assertThat(n).isBetween(served, served + 1);
      assertThat(bot.all("/messages")).hasSize((int) n);
      assertThat(LocalService.parse(after.body()).get("answer").asText()).isEqualTo("n=" + n);
    }
  }

  private static CompletableFuture<HttpResponse<String>> hitAsync(LocalService s, String hook) {
    return s.http.sendAsync(
        s.request(hook).GET().build(), BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /**
   * The first hit after the resume may still meet the requests the stopped server queued; it
   * answers 503 then, as a client would see, and the next one is served.
   */
  private static HttpResponse<String> hitAfterResume(BotClient bot, String hook)
      throws InterruptedException {
    HttpResponse<String> r = bot.hit(hook);
    for (int i = 0; i < 3 && r.statusCode() == 503; i++) {
      Thread.sleep(500);
      r = bot.hit(hook);
    }
    return r;
  }

  private static void signal(String signal, ProcessHandle process)
      throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
            .inheritIO()
            .start();
    assertThat(kill.waitFor()).as("kill -" + signal).isZero();
  }
}
