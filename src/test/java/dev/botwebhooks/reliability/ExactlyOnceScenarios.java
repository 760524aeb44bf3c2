package dev.botwebhooks.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.Store;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Exactly once, through the local server with faults injected into the store's commits (README
 * "Reliability"): commits applied with their answers lost, delayed, or left in doubt past the hit's
 * time. Counting hits without delivery ids never count more than their 200 answers; deliveries with
 * ids, retried on every other answer, are each applied exactly once. A subclass per store says how
 * the faults are made.
 */
abstract class ExactlyOnceScenarios {
  /** Counts per user, and tells in its answer the count it saw. */
  private static final String COUNT =
      String.join(
          "\n",
          "var n = User.getProperty('n', 0) + 1;",
          "User.setProperty('n', n, 'integer');",
          "Bot.sendMessage('n=' + n);");

  /** Time enough for the hits of one bot to take turns while commits are cut and resolved. */
  private static final Map<String, String> PATIENT =
      Map.of(Settings.Env.SCRIPT_TIME_LIMIT_MS, "20000");

  /** A hit's time, which a commit left in doubt spends resolving before it answers 503. */
  private static final Map<String, String> BRIEF =
      Map.of(Settings.Env.SCRIPT_TIME_LIMIT_MS, "3000");

  private static final int USERS = 4;
  private static final int DELIVERIES = 12;

  private final List<AutoCloseable> open = new ArrayList<>();

  /** A store whose commits and reads pass through the faults this subclass injects. */
  abstract Store faultyStore() throws Exception;

  /**
   * From now on: every fifth transaction is applied and every answer to it lost, resends
   * included, the others are delayed; reads pass.
   */
  abstract void cutEveryFifthCommitAnswer();

  /**
   * From now on: every {@code every}-th transaction is applied and every answer to it lost, and
   * reading whether it applied fails too, so that its hit cannot learn its outcome in time.
   */
  abstract void leaveCommitsInDoubt(int every);

  /** From now on: no faults. */
  abstract void heal();

  /** How many commit answers were lost so far. */
  abstract int lostCommitAnswers();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private BotClient counterBot(Map<String, String> env) throws Exception {
    LocalService service = new LocalService(faultyStore(), env);
    open.add(service);
    BotClient bot = service.createBot("Counter");
    bot.command("/count", COUNT);
    return bot;
  }

  @Test
  void countingHits_commitAnswersCutAndDelayed_everyCounterEqualsIts200Answers() throws Exception {
    BotClient bot = counterBot(PATIENT);
    List<String> hooks = new ArrayList<>();
    for (int u = 0; u < USERS; u++) {
      hooks.add(bot.mint("{\"command\":\"/count\",\"user_id\":\"u" + u + "\"}"));
    }
    cutEveryFifthCommitAnswer();

    List<HttpResponse<String>> answers =
        ConcurrencyAndLimitScenarios.concurrently(40, i -> bot.hit(hooks.get(i % USERS)));
    heal();

    assertThat(lostCommitAnswers()).as("commit answers lost").isGreaterThan(0);
    for (int u = 0; u < USERS; u++) {
      long ok = 0;
      for (int i = u; i < answers.size(); i += USERS) {
        assertThat(answers.get(i).statusCode()).as(answers.get(i).body()).isIn(200, 503);
        ok += answers.get(i).statusCode() == 200 ? 1 : 0;
      }
      assertThat(count(bot, "u" + u)).as("user u" + u).isEqualTo(ok);
    }
    // Lost answers are resolved by reading back: every hit learns its commit applied.
    assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(200);
    assertThat(bot.all("/messages")).hasSize(40);
  }

  @Test
  void retriedDeliveries_withIds_commitsLeftInDoubt_eachAppliedExactlyOnce() throws Exception {
    BotClient bot = counterBot(BRIEF);
    String hook = bot.mint("{\"command\":\"/count\",\"user_id\":\"u0\"}");
    leaveCommitsInDoubt(3);
    Map<Integer, String> firstOk = new ConcurrentHashMap<>();
    AtomicInteger inDoubt = new AtomicInteger();

    ConcurrencyAndLimitScenarios.concurrently(
        4,
        i -> {
          for (int d = i; d < DELIVERIES; d += 4) {
            firstOk.put(d, deliverUntil200(bot, hook, "delivery-" + d, inDoubt));
          }
          return null;
        });
    heal();

    assertThat(inDoubt.get()).as("503s with the outcome unknown").isGreaterThan(0);
    assertThat(count(bot, "u0")).isEqualTo(DELIVERIES);
    assertThat(bot.all("/messages")).hasSize(DELIVERIES);
    assertThat(firstOk.values()).doesNotHaveDuplicates().hasSize(DELIVERIES);
    List<String> logged = new ArrayList<>();
    bot.all("/errors").forEach(e -> logged.add(e.get("message").asText()));
    // The error log names each delivery left in doubt (other entries: runs out of time waiting).
    assertThat(logged)
        .filteredOn(m -> m.startsWith("outcome unknown"))
        .hasSizeGreaterThanOrEqualTo(inDoubt.get())
        .allSatisfy(m -> assertThat(m).contains("delivery idempotency-key:delivery-"));

    // Every delivery again, faults gone: the first answer, replayed, and nothing runs.
    for (int d = 0; d < DELIVERIES; d++) {
      HttpResponse<String> again = deliver(bot, hook, "delivery-" + d, "Idempotency-Key");
      assertThat(again.statusCode()).isEqualTo(200);
      assertThat(again.body()).isEqualTo(firstOk.get(d));
      assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
    }
    assertThat(count(bot, "u0")).isEqualTo(DELIVERIES);
  }

  @Test
  void retriedDeliveries_withoutIds_inDoubtAnswersAreTheOnlyExcess() throws Exception {
    BotClient bot = counterBot(BRIEF);
    String hook = bot.mint("{\"command\":\"/count\",\"user_id\":\"u0\"}");
    leaveCommitsInDoubt(3);
    int ok = 0;
    int unknown = 0;
    for (int i = 0; i < 9; i++) {
      HttpResponse<String> r = bot.hit(hook);
      if (r.statusCode() == 200) {
        ok++;
      } else {
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("outcome unknown");
        unknown++;
      }
    }
    heal();

    assertThat(unknown).isGreaterThan(0);
    // Each commit left in doubt did apply here: the 200s plus the in-doubt 503s, never more.
    assertThat(count(bot, "u0")).isEqualTo(ok + unknown);
  }

  @Test
  void copiesOfOneDelivery_arrivingTogether_runOnce_andAllGetTheFirstAnswer() throws Exception {
    BotClient bot = counterBot(PATIENT);
    bot.command(
        "/slow",
        String.join(
            "\n",
            "var until = Date.now() + 300;",
            "while (Date.now() < until) {}",
            COUNT));
    String hook = bot.mint("{\"command\":\"/slow\",\"user_id\":\"u0\"}");

    List<HttpResponse<String>> copies =
        ConcurrencyAndLimitScenarios.concurrently(
            6, i -> deliver(bot, hook, "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", "webhook-id"));

    assertThat(copies).extracting(HttpResponse::statusCode).containsOnly(200);
    assertThat(copies).extracting(HttpResponse::body).containsOnly(copies.get(0).body());
    assertThat(copies)
        .filteredOn(r -> r.headers().firstValue("Idempotent-Replayed").isEmpty())
        .hasSize(1);
    assertThat(count(bot, "u0")).isEqualTo(1);
  }

  @Test
  void copyOfADeliveryStillResolving_pastTheCopysTime_gets409_andARetryLaterIsReplayed()
      throws Exception {
    BotClient bot = counterBot(Map.of(Settings.Env.SCRIPT_TIME_LIMIT_MS, "1500"));
    bot.command(
        "/slow",
        String.join("\n", "var until = Date.now() + 700;", "while (Date.now() < until) {}", COUNT));
    String hook = bot.mint("{\"command\":\"/slow\",\"user_id\":\"u0\"}");
    leaveCommitsInDoubt(1);

    List<HttpResponse<String>> answers =
        ConcurrencyAndLimitScenarios.concurrently(
            2,
            i -> {
              if (i == 1) {
                pause(300); // the copy arrives while the first runs, and waits past its time
              }
              return deliver(bot, hook, "slow-1", "Idempotency-Key");
            });
    heal();

    assertThat(answers.get(0).statusCode()).isEqualTo(503);
    assertThat(answers.get(0).body()).contains("outcome unknown");
    assertThat(answers.get(1).statusCode()).isEqualTo(409);
    assertThat(answers.get(1).headers().firstValue("Retry-After")).isPresent();
    assertThat(answers.get(1).body()).contains("still being processed");
    HttpResponse<String> later = deliver(bot, hook, "slow-1", "Idempotency-Key");
    assertThat(later.statusCode()).isEqualTo(200);
    assertThat(later.headers().firstValue("Idempotent-Replayed")).contains("true");
    assertThat(count(bot, "u0")).isEqualTo(1);
  }

  @Test
  void hooksOwnDeliveryKey_fromTheBody_deduplicatesRetries() throws Exception {
    BotClient bot = counterBot(PATIENT);
    String hook =
        bot.mint("{\"command\":\"/count\",\"user_id\":\"u0\",\"delivery_key\":\"body.order.id\"}");
    Map<String, Integer> statuses = new HashMap<>();
    for (String order : List.of("A-1", "A-2", "A-1", "A-1", "A-2", "A-3")) {
      HttpResponse<String> r =
          bot.service
              .send(
                  bot.service
                      .request(hook)
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"order\":{\"id\":\"" + order + "\",\"total\":5}}")));
      statuses.merge(r.statusCode() + r.headers().firstValue("Idempotent-Replayed").orElse(""), 1,
          Integer::sum);
    }

    assertThat(statuses).containsEntry("200", 3).containsEntry("200true", 3);
    assertThat(count(bot, "u0")).isEqualTo(3);
  }

  /** Sends a delivery until it is answered 200 (as providers retry), and returns that body. */
  private static String deliverUntil200(
      BotClient bot, String hook, String id, AtomicInteger inDoubt) {
    for (int attempt = 0; attempt < 20; attempt++) {
      HttpResponse<String> r = deliver(bot, hook, id, "Idempotency-Key");
      if (r.statusCode() == 200) {
        return r.body();
      }
      // Another copy's commit in doubt can hold the bot's turn past this one's time: 503 too.
      assertThat(r.statusCode()).as(r.body()).isIn(409, 503);
      if (r.body().contains("outcome unknown")) {
        inDoubt.incrementAndGet();
        assertThat(r.headers().firstValue("Retry-After")).as(r.body()).isPresent();
      }
    }
    throw new AssertionError("delivery " + id + " never answered 200");
  }

  private static HttpResponse<String> deliver(BotClient bot, String hook, String id, String header) {
    return bot.service
        .send(
            bot.service
                .request(hook)
                .header(header, id)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"amount\":5}")));
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static long count(BotClient bot, String userId) {
    return bot.userProperty(userId, "n").map(v -> v.asLong()).orElse(0L);
  }
}
