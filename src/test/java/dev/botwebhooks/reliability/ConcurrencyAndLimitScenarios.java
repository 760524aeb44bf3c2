package dev.botwebhooks.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.Store;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Concurrent hits, randomly failing commands and every limit of README "Security and limits", from
 * outside through the local server, on each store (a subclass per store).
 */
abstract class ConcurrencyAndLimitScenarios {
  private static final String INCREMENT =
      String.join(
          "\n",
          "Bot.setProperty('n', Bot.getProperty('n', 0) + 1, 'integer');",
          "User.setProperty('n', User.getProperty('n', 0) + 1, 'integer');",
          "Bot.sendMessage('n=' + Bot.getProperty('n'));");

  private final List<AutoCloseable> open = new ArrayList<>();

  /** A store for one deployment; each call may return the same shared store. */
  abstract Store newStore();

  /** Another store on the same data, as a second container would have (own client, own lock). */
  abstract Store sameDataAs(Store store);

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  LocalService serve(Store store, Map<String, String> env) {
    LocalService service = new LocalService(store, env);
    open.add(service);
    return service;
  }

  /** Runs {@code n} calls at once (released together) and returns their results in order. */
  static <T> List<T> concurrently(int n, IntFunction<T> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  return call.apply(index);
                }));
      }
      go.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get());
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Time enough for 40 runs of one bot to take turns and retry their commits. */
  private static final Map<String, String> PATIENT =
      Map.of(Settings.Env.SCRIPT_TIME_LIMIT_MS, "25000");

  @Test
  void hit_fortyConcurrentIncrements_allAnswer200AndCountExactly() throws Exception {
    BotClient bot = serve(newStore(), PATIENT).createBot("Counter");
    bot.command("/inc", INCREMENT);
    String hook = bot.mint("{\"command\":\"/inc\",\"user_id\":\"u1\"}");

    List<HttpResponse<String>> answers = concurrently(40, i -> bot.hit(hook));

    assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(200);
    // Serializable: every run saw a different count, 1 to 40.
    Set<String> seen = new HashSet<>();
    answers.forEach(a -> seen.add(LocalService.parse(a.body()).get("answer").asText()));
    assertThat(seen).hasSize(40).contains("n=1", "n=40");
    assertThat(bot.property("n")).hasValueSatisfying(v -> assertThat(v.asInt()).isEqualTo(40));
    assertThat(bot.userProperty("u1", "n"))
        .hasValueSatisfying(v -> assertThat(v.asInt()).isEqualTo(40));
    assertThat(bot.all("/messages")).hasSize(40);
  }

  @Test
  void hit_rateLimitOfFive_twentyConcurrentHitsFromOneClient_exactlyFiveAnswered()
      throws Exception {
    // A fixed clock inside one minute: the count cannot roll over mid-test. No run conflicts with
    // another here, so no re-run waits for a clock that does not move.
    Instant at = Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(5);
    Store store = newStore();
    LocalService service =
        new LocalService(
            store,
            Map.of(Settings.Env.RATE_LIMIT_PER_MINUTE, "5"),
            Clock.fixed(at, ZoneOffset.UTC));
    open.add(service);
    BotClient bot = service.createBot("Limited");
    bot.command("/quiet", "var total = 1 + 1;");
    bot.command("/send", "Bot.sendMessage('sent');");
    String quiet = bot.mint("{\"command\":\"/quiet\"}");
    String send = bot.mint("{\"command\":\"/send\"}");
    String client = "203.0.113." + (1 + new java.util.Random().nextInt(250));

    // Hits that write nothing and hits that commit, all at once from one client.
    List<HttpResponse<String>> answers =
        concurrently(20, i -> bot.hitFrom(client, i % 2 == 0 ? quiet : send));

    List<Integer> statuses = answers.stream().map(HttpResponse::statusCode).toList();
    assertThat(statuses).filteredOn(s -> s == 200).hasSize(5);
    assertThat(statuses).filteredOn(s -> s == 429).hasSize(15);
    assertThat(store.hitsSoFar(client, at)).isEqualTo(5);
    long sent =
        answers.stream()
            .filter(a -> a.statusCode() == 200 && a.body().contains("sent"))
            .count();
    assertThat(bot.all("/messages")).hasSize((int) sent);
    // Refused hits write nothing, not even their request-log entry.
    assertThat(bot.all("/hits")).hasSize(5);
  }

  @Test
  void hit_twoBotsConcurrently_eachCountsItsOwnHitsExactly() throws Exception {
    LocalService service = serve(newStore(), PATIENT);
    BotClient first = service.createBot("First");
    BotClient second = service.createBot("Second");
    first.command("/inc", INCREMENT);
    second.command("/inc", INCREMENT);
    String firstHook = first.mint("{\"command\":\"/inc\",\"user_id\":\"u1\"}");
    String secondHook = second.mint("{\"command\":\"/inc\",\"user_id\":\"u1\"}");

    List<Integer> statuses =
        concurrently(
            40, i -> (i % 2 == 0 ? first.hit(firstHook) : second.hit(secondHook)).statusCode());

    assertThat(statuses).containsOnly(200);
    for (BotClient bot : List.of(first, second)) {
      assertThat(bot.property("n")).hasValueSatisfying(v -> assertThat(v.asInt()).isEqualTo(20));
      assertThat(bot.userProperty("u1", "n"))
          .hasValueSatisfying(v -> assertThat(v.asInt()).isEqualTo(20));
    }
  }

  /** Two local servers on one store's data, as two Lambda containers, and one bot seen from both. */
  private record TwoInstances(LocalService one, LocalService two, BotClient onOne, BotClient onTwo) {}

  private TwoInstances twoInstances(String botName) throws Exception {
    Store store = newStore();
    LocalService one = serve(store, PATIENT);
    LocalService two = serve(sameDataAs(store), PATIENT);
    BotClient onOne = one.createBot(botName);
    return new TwoInstances(one, two, onOne, two.bot(onOne));
  }

  @Test
  void hit_concurrentHitsOnTwoInstancesOfOneStore_versionCheckKeepsCountExact() throws Exception {
    // Another container: its own per-bot lock and client, so only the commit's version check and
    // the retry keep the count right.
    TwoInstances both = twoInstances("Shared");
    BotClient onOne = both.onOne();
    BotClient onTwo = both.onTwo();
    onOne.command("/inc", INCREMENT);
    String hook = onOne.mint("{\"command\":\"/inc\",\"user_id\":\"u1\"}");

    List<Integer> statuses =
        concurrently(40, i -> (i % 2 == 0 ? onOne : onTwo).hit(hook).statusCode());

    assertThat(statuses).containsOnly(200);
    assertThat(onTwo.property("n")).hasValueSatisfying(v -> assertThat(v.asInt()).isEqualTo(40));
    assertThat(onOne.userProperty("u1", "n"))
        .hasValueSatisfying(v -> assertThat(v.asInt()).isEqualTo(40));
    assertThat(onOne.all("/messages")).hasSize(40);
  }

  /**
   * Copies of one delivery on two instances, which cannot wait for each other: both run, one
   * commits, the other's commit finds the delivery recorded and answers its answer; both copies
   * are in the request log (README "Reliability": a repeat writes its log entry and count).
   */
  @Test
  void hit_copiesOfOneDeliveryOnTwoInstances_applyOnce_andEachCopyIsLogged() throws Exception {
    TwoInstances both = twoInstances("Deliveries");
    BotClient onOne = both.onOne();
    BotClient onTwo = both.onTwo();
    onOne.command(
        "/slow",
        String.join("\n", "var until = Date.now() + 400;", "while (Date.now() < until) {}", INCREMENT));
    String hook = onOne.mint("{\"command\":\"/slow\",\"user_id\":\"u1\"}");

    List<HttpResponse<String>> copies =
        concurrently(
            2,
            i -> {
              LocalService on = i == 0 ? both.one() : both.two();
              return on.send(
                  on.request(hook)
                      .header("Idempotency-Key", "order-7731")
                      .POST(HttpRequest.BodyPublishers.ofString("{}")));
            });

    assertThat(copies).extracting(HttpResponse::statusCode).containsOnly(200);
    assertThat(copies).extracting(HttpResponse::body).containsOnly("{\"answer\":\"n=1\"}");
    assertThat(copies)
        .filteredOn(r -> r.headers().firstValue("Idempotent-Replayed").isEmpty())
        .hasSize(1);
    assertThat(onTwo.property("n")).hasValueSatisfying(v -> assertThat(v.asInt()).isEqualTo(1));
    assertThat(onOne.all("/messages")).hasSize(1);
    List<JsonNode> hits = onOne.all("/hits");
    assertThat(hits).hasSize(2);
    assertThat(hits).extracting(h -> h.get("status").asInt()).containsOnly(200);
  }

  @Test
  void hit_commandsFailingAtRandom_leaveNoPartialWrites() throws Exception {
    BotClient bot = serve(newStore(), PATIENT).createBot("Flaky");
    bot.command(
        "/flaky",
        String.join(
            "\n",
            "Bot.setProperty('a', Bot.getProperty('a', 0) + 1, 'integer');",
            "Bot.sendMessage('a done');",
            "if (Math.random() < 0.5) { throw new Error('random failure'); }",
            "Bot.setProperty('b', Bot.getProperty('b', 0) + 1, 'integer');"));
    String hook = bot.mint("{\"command\":\"/flaky\",\"user_id\":\"u1\"}");

    List<HttpResponse<String>> answers = concurrently(30, i -> bot.hit(hook));

    long ok = answers.stream().filter(a -> a.statusCode() == 200).count();
    List<String> failedIds = new ArrayList<>();
    for (HttpResponse<String> a : answers) {
      if (a.statusCode() != 200) {
        assertThat(a.statusCode()).isEqualTo(503);
        JsonNode body = LocalService.parse(a.body());
        assertThat(body.get("error").asText()).isEqualTo("command failed");
        failedIds.add(body.get("request_id").asText());
      }
    }
    assertThat(ok).as("some runs succeed").isPositive();
    assertThat(failedIds).as("some runs fail").isNotEmpty();
    assertThat(bot.property("a")).hasValueSatisfying(v -> assertThat(v.asLong()).isEqualTo(ok));
    assertThat(bot.property("b")).hasValueSatisfying(v -> assertThat(v.asLong()).isEqualTo(ok));
    assertThat(bot.all("/messages")).hasSize((int) ok);
    List<JsonNode> errors = bot.all("/errors");
    assertThat(errors).extracting(e -> e.get("request_id").asText())
        .containsExactlyInAnyOrderElementsOf(failedIds);
    assertThat(errors).allSatisfy(e -> assertThat(e.get("message").asText()).contains("random"));
  }

  /** Each limit small, the time limit long enough for a run on a loaded machine. */
  private static final Map<String, String> SMALL_LIMITS =
      Map.of(
          Settings.Env.SCRIPT_TIME_LIMIT_MS, "1500",
          Settings.Env.MAX_BODY_BYTES, "200",
          Settings.Env.MAX_MESSAGES, "3",
          Settings.Env.MAX_MESSAGE_CHARS, "20",
          Settings.Env.MAX_RUN_DEPTH, "2",
          Settings.Env.MAX_RUNS, "5",
          Settings.Env.MAX_PROPERTY_BYTES, "40");

  @Test
  void hit_eachLimitCrossed_answers503NamingItInErrorLog_thenNextHitIsServed() {
    BotClient bot = serve(newStore(), SMALL_LIMITS).createBot("Limits");
    bot.command("/ok", "Bot.sendMessage('fine ' + Bot.getProperty('p', 'none'));");
    bot.command("/quiet", "var quiet = true;");
    Map<String, String> crossing =
        Map.of(
            Settings.Env.SCRIPT_TIME_LIMIT_MS, "while (true) {}",
            Settings.Env.MAX_MESSAGES, "for (var i = 0; i < 10; i++) { Bot.sendMessage('m' + i); }",
            Settings.Env.MAX_MESSAGE_CHARS, "Bot.sendMessage('x'.repeat(100));",
            Settings.Env.MAX_RUN_DEPTH, "Bot.runCommand('/" + Settings.Env.MAX_RUN_DEPTH + "');",
            Settings.Env.MAX_RUNS, "for (var i = 0; i < 10; i++) { Bot.runCommand('/quiet'); }",
            Settings.Env.MAX_PROPERTY_BYTES, "Bot.setProperty('p', 'x'.repeat(100), 'string');");
    String okHook = bot.mint("{\"command\":\"/ok\"}");

    for (Map.Entry<String, String> limit : crossing.entrySet()) {
      String name = limit.getKey();
      bot.command("/" + name, "Bot.setProperty('p', 'partial', 'string');\n" + limit.getValue());
      HttpResponse<String> failed = bot.hit(bot.mint("{\"command\":\"/" + name + "\"}"));

      assertThat(failed.statusCode()).as(name).isEqualTo(503);
      String requestId = LocalService.parse(failed.body()).get("request_id").asText();
      JsonNode logged = bot.all("/errors").get(0);
      assertThat(logged.get("request_id").asText()).as(name).isEqualTo(requestId);
      assertThat(logged.get("limit").asText()).as(name).isEqualTo(name);

      HttpResponse<String> next = bot.hit(okHook);
      assertThat(next.statusCode()).as("after " + name).isEqualTo(200);
      assertThat(LocalService.parse(next.body()).get("answer").asText()).isEqualTo("fine none");
    }

    HttpResponse<String> tooBig =
        bot.service.send(
            bot.service.request(okHook).POST(BodyPublishers.ofString("b".repeat(201))));
    assertThat(tooBig.statusCode()).isEqualTo(413);
    assertThat(LocalService.parse(tooBig.body()).get("error").asText()).contains("200 bytes");
    assertThat(bot.all("/messages")).extracting(m -> m.get("text").asText())
        .containsOnly("fine none")
        .hasSize(crossing.size());
  }
}
