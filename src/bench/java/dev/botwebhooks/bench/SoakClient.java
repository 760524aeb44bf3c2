package dev.botwebhooks.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Mixed load against a running local server (started with {@code --trust-forwarded-for}) for a
 * number of seconds, from a few client threads: increments, randomly failing commands, echoes of
 * a body, deliveries with an {@code Idempotency-Key} sent again until answered 200, and bot API
 * reads and writes. Seeds its own bot first, checks at the end that the counter is not ahead of
 * its successful increments but by those answered "outcome unknown" (README "Reliability"), and
 * that every delivery answered 200 was applied exactly once, and prints one JSON summary. Run by
 * {@code scripts/soak.sh}; not part of the tests.
 *
 * <p>Usage: {@code SoakClient <base url> <admin key> <seconds> [threads] [mixed|counting]}:
 * {@code counting} sends only the counting hits, over the same 20 users.
 */
public final class SoakClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final String base;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  private static final int USERS = 20;
  private final AtomicLong incrementsOk = new AtomicLong();
  private final AtomicLong incrementsInDoubt = new AtomicLong();
  private final AtomicLong[] userOk = counters(USERS);
  private final AtomicLong[] userInDoubt = counters(USERS);
  private final AtomicLong deliveriesOk = new AtomicLong();
  private final AtomicLong deliveriesUnresolved = new AtomicLong();
  private final AtomicLong maxMillis = new AtomicLong();
  private boolean countingOnly;
  private String deliver;
  private String botId;
  private String apiKey;

  private SoakClient(String base) {
    this.base = base;
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println(
          "usage: SoakClient <base url> <admin key> <seconds> [threads] [mixed|counting]");
      System.exit(2);
    }
    SoakClient soak = new SoakClient(args[0]);
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : 4;
    soak.countingOnly = args.length > 4 && args[4].equals("counting");
    soak.run(args[1], Duration.ofSeconds(Long.parseLong(args[2])), threads);
  }

  private void run(String adminKey, Duration length, int threads) throws Exception {
    JsonNode bot =
        json(send("POST", "/bots", adminKey, "application/json", "{\"name\":\"Soak bot\"}"));
    botId = bot.get("id").asText();
    apiKey = bot.get("api_key").asText();
    api("PUT", "/commands/" + enc("/inc"), "text/plain",
        "Bot.setProperty('n', Bot.getProperty('n', 0) + 1, 'integer');\n"
            + "User.setProperty('seen', (User.getProperty('seen', 0) || 0) + 1, 'integer');\n"
            + "Bot.sendMessage('n=' + Bot.getProperty('n'));");
    api("PUT", "/commands/" + enc("/flaky"), "text/plain",
        "Bot.setProperty('f', Bot.getProperty('f', 0) + 1, 'integer');\n"
            + "if (Math.random() < 0.5) { throw new Error('random failure'); }\n"
            + "Bot.sendMessage('ok');");
    api("PUT", "/commands/" + enc("/echo"), "text/plain",
        "WebApp.render({ content: { length: content.length, params: options.params },"
            + " mime_type: 'application/json' });");
    api("PUT", "/commands/" + enc("/deliver"), "text/plain",
        "Bot.setProperty('d', Bot.getProperty('d', 0) + 1, 'integer');\n"
            + "Bot.sendMessage('d=' + Bot.getProperty('d'));");
    List<String> inc = new ArrayList<>();
    for (int u = 0; u < USERS; u++) {
      inc.add(hookPath("{\"command\":\"/inc\",\"user_id\":\"u" + u + "\"}"));
    }
    deliver = hookPath("{\"command\":\"/deliver\"}");
    String flaky = hookPath("{\"command\":\"/flaky\"}");
    String echo = hookPath("{\"command\":\"/echo\"}");

    long end = System.nanoTime() + length.toNanos();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread w =
          new Thread(
              () -> {
                while (System.nanoTime() < end) {
                  step(inc, flaky, echo);
                }
              },
              "soak-" + t);
      w.start();
      workers.add(w);
    }
    for (Thread w : workers) {
      w.join();
    }

    long counted = counter("/properties/n");
    long delivered = counter("/properties/d");
    ObjectNode summary = Json.object();
    summary.put("seconds", length.toSeconds());
    summary.put("threads", threads);
    summary.put("mix", countingOnly ? "counting" : "mixed");
    ObjectNode byKind = summary.putObject("status_counts");
    long unexpected = 0;
    for (Map.Entry<String, Long> e : sorted().entrySet()) {
      byKind.put(e.getKey(), e.getValue());
      // A store too slow to answer in time is refused cleanly (nothing applied, Retry-After), and
      // a run that could not finish and commit in time failed (nothing applied); the counters
      // below say whether any answer was untrue.
      boolean expected =
          e.getKey().endsWith(" 200")
              || e.getKey().endsWith(" 201")
              || e.getKey().endsWith(" 404")
              || e.getKey().endsWith(" 503 store-busy")
              || e.getKey().endsWith(" 503 outcome-unknown")
              || e.getKey().endsWith(" 503 command-failed");
      if (!expected) {
        unexpected += e.getValue();
      }
    }
    summary.put("unexpected_answers", unexpected);
    summary.put("counting_hits", countOf("inc "));
    summary.put("increments_answered_200", incrementsOk.get());
    summary.put("increments_in_doubt", incrementsInDoubt.get());
    summary.put("counter_in_store", counted);
    // README "Reliability": a hit answered "outcome unknown" may have applied; no other may.
    long ahead = counted - incrementsOk.get();
    summary.put("counter_ahead_of_200s", ahead);
    summary.put("deliveries_answered_200", deliveriesOk.get());
    summary.put("deliveries_never_200", deliveriesUnresolved.get());
    summary.put("delivery_counter_in_store", delivered);
    // Per user too: each user's own counter against that user's 200 answers.
    ArrayNode usersAhead = summary.putArray("users_ahead_of_200s");
    for (int u = 0; u < USERS; u++) {
      long seen = counter("/users/u" + u + "/properties/seen");
      long userAhead = seen - userOk[u].get();
      if (userAhead < 0 || userAhead > userInDoubt[u].get()) {
        usersAhead.add("u" + u + ": " + seen + " in store, " + userOk[u].get() + " answered 200, "
            + userInDoubt[u].get() + " in doubt");
      }
    }
    boolean deliveredOnce =
        delivered >= deliveriesOk.get()
            && delivered <= deliveriesOk.get() + deliveriesUnresolved.get();
    summary.put(
        "counter_matches",
        ahead >= 0 && ahead <= incrementsInDoubt.get() && deliveredOnce && usersAhead.isEmpty());
    summary.put("slowest_request_ms", maxMillis.get());
    System.out.println(Json.write(summary));
  }

  /** One request of the mix, from one of 64 client addresses. */
  private void step(List<String> inc, String flaky, String echo) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    String ip = "198.51.100." + r.nextInt(1, 65);
    int pick = countingOnly ? 0 : r.nextInt(100);
    try {
      if (pick < 30) {
        int user = r.nextInt(USERS);
        HttpResponse<String> answer = send(ip, "GET", inc.get(user), null, Map.of());
        if (answer.statusCode() == 200) {
          incrementsOk.incrementAndGet();
          userOk[user].incrementAndGet();
        } else if (inDoubt(answer)) {
          incrementsInDoubt.incrementAndGet();
          userInDoubt[user].incrementAndGet();
        }
        count("inc", answer);
      } else if (pick < 45) {
        deliverUntil200(ip, "soak-" + UUID.randomUUID());
      } else if (pick < 65) {
        count("flaky", send(ip, "GET", flaky, null, Map.of()));
      } else if (pick < 80) {
        String body = "{\"order\":" + r.nextInt() + ",\"note\":\"" + "x".repeat(r.nextInt(2000))
            + "\"}";
        count("echo", send(ip, "POST", echo + "?tag=" + r.nextInt(1000), body, Map.of()));
      } else if (pick < 90) {
        String value = "{\"value\":" + r.nextInt() + ",\"type\":\"integer\"}";
        String path = "/users/u" + r.nextInt(20) + "/properties/p";
        count("api-put-property", api("PUT", path, "application/json", value));
      } else if (pick < 95) {
        count("api-messages", api("GET", "/messages?limit=20", null, null));
      } else {
        count("api-errors", api("GET", "/errors?limit=20", null, null));
      }
    } catch (IOException e) {
      count("transport-error", 0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One delivery with an id, sent again on every answer but 200, as providers retry. */
  private void deliverUntil200(String ip, String id) throws IOException, InterruptedException {
    for (int attempt = 0; attempt < 10; attempt++) {
      HttpResponse<String> answer = send(ip, "POST", deliver, "{}", Map.of("Idempotency-Key", id));
      count("deliver", answer);
      if (answer.statusCode() == 200) {
        deliveriesOk.incrementAndGet();
        return;
      }
      Thread.sleep(200L << Math.min(attempt, 4));
    }
    deliveriesUnresolved.incrementAndGet();
  }

  private HttpResponse<String> send(
      String ip, String method, String path, String body, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(TIMEOUT)
            .header("X-Forwarded-For", ip)
            .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    headers.forEach(b::header);
    long started = System.nanoTime();
    HttpResponse<String> answer = http.send(b.build(), BodyHandlers.ofString());
    maxMillis.accumulateAndGet((System.nanoTime() - started) / 1_000_000, Math::max);
    return answer;
  }

  /**
   * Counts an answer under its kind and status; a 503 also under why: "store busy" (the store did
   * not answer in time before anything was committed: nothing applied, retry later), "outcome
   * unknown" (README "Reliability"), or the command's own failure.
   */
  private void count(String kind, HttpResponse<String> answer) {
    String status = Integer.toString(answer.statusCode());
    if (answer.statusCode() == 503) {
      if (inDoubt(answer)) {
        status += " outcome-unknown";
      } else if (answer.headers().firstValue("Retry-After").isPresent()) {
        status += " store-busy";
      } else if (answer.body().contains("command failed")) {
        status += " command-failed";
      }
    }
    count(kind, status);
  }

  private void count(String kind, Object status) {
    counts.computeIfAbsent(kind + " " + status, k -> new AtomicLong()).incrementAndGet();
  }

  private long countOf(String prefix) {
    long n = 0;
    for (Map.Entry<String, AtomicLong> e : counts.entrySet()) {
      if (e.getKey().startsWith(prefix)) {
        n += e.getValue().get();
      }
    }
    return n;
  }

  private static boolean inDoubt(HttpResponse<String> answer) {
    return answer.statusCode() == 503 && answer.body().contains("outcome unknown");
  }

  private static AtomicLong[] counters(int n) {
    AtomicLong[] out = new AtomicLong[n];
    for (int i = 0; i < n; i++) {
      out[i] = new AtomicLong();
    }
    return out;
  }

  private Map<String, Long> sorted() {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /**
   * A counter property's value: 0 while no hit has set it (the API answers 404 then). A busy store
   * answers 503 with nothing read, and a server still working off the load may not answer at once;
   * the read is tried again for about a minute, as a client would.
   */
  private long counter(String path) throws IOException, InterruptedException {
    for (int tries = 1; ; tries++) {
      try {
        HttpResponse<String> r = api("GET", path, null, null);
        if (r.statusCode() != 503 || tries == 20) {
          return r.statusCode() == 404 ? 0 : json(r).path("value").asLong(-1);
        }
      } catch (HttpTimeoutException e) {
        if (tries == 20) {
          throw e;
        }
      }
      Thread.sleep(3_000);
    }
  }

  private String hookPath(String json) throws IOException, InterruptedException {
    String url = json(api("POST", "/webhooks", "application/json", json)).get("url").asText();
    return url.substring(url.indexOf("/hooks/"));
  }

  private HttpResponse<String> api(String method, String path, String type, String body)
      throws IOException, InterruptedException {
    return send(method, "/bots/" + botId + path, apiKey, type, body);
  }

  private HttpResponse<String> send(String method, String path, String key, String type,
      String body) throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(TIMEOUT)
            .header("Authorization", "Bearer " + key)
            .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    if (type != null) {
      b.header("Content-Type", type);
    }
    long started = System.nanoTime();
    HttpResponse<String> r = http.send(b.build(), BodyHandlers.ofString(StandardCharsets.UTF_8));
    maxMillis.accumulateAndGet((System.nanoTime() - started) / 1_000_000, Math::max);
    return r;
  }

  private static JsonNode json(HttpResponse<String> r) throws IOException {
    if (r.statusCode() >= 300) {
      throw new IOException("set-up request answered " + r.statusCode() + ": " + r.body());
    }
    return Json.parse(r.body());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
