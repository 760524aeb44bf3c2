package dev.botwebhooks.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.http.Headers;
import dev.botwebhooks.http.HttpEndpoint;
import dev.botwebhooks.http.HttpRequest;
import dev.botwebhooks.http.HttpResponse;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.store.MemoryStore;
import dev.botwebhooks.wiring.Deployment;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;

/**
 * Times webhook hits of the reference command in this JVM, on the embedded store: the first hit
 * (a cold start: class loading, engine set-up, compiling) and then many warm hits. Prints one JSON
 * object. Run by {@code scripts/bench.sh}.
 *
 * <p>Usage: {@code HitBenchmark <command.js> <content.json> [warm hits]}
 */
public final class HitBenchmark {
  private static final String ADMIN_KEY = "bench-admin-key";

  private HitBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: HitBenchmark <command.js> <content.json> [warm hits]");
      System.exit(2);
    }
    String command = Files.readString(Path.of(args[0]));
    byte[] content = Files.readAllBytes(Path.of(args[1]));
    int warmHits = args.length > 2 ? Integer.parseInt(args[2]) : 2000;

    long setupStart = System.nanoTime();
    Settings settings =
        Settings.from(
            Map.of(Settings.Env.ADMIN_KEY, ADMIN_KEY, "RATE_LIMIT_PER_MINUTE", "100000000"));
    Deployment deployment =
        new Deployment(settings, new MemoryStore(), IdGenerator.secure(), Clock.systemUTC());
    HttpEndpoint api = deployment.botApi();
    HttpEndpoint hooks = deployment.webhooks();

    JsonNode bot = call(api, "POST", "/bots", ADMIN_KEY, "{\"name\":\"bench\"}", 201);
    String botId = bot.get("id").asText();
    String key = bot.get("api_key").asText();
    call(api, "PUT", "/bots/" + botId + "/commands/%2FonPaid", key, command, 200);
    call(api, "PUT", "/bots/" + botId + "/users/42", key, "{\"first_name\":\"Ann\"}", 200);
    JsonNode hook =
        call(api, "POST", "/bots/" + botId + "/webhooks", key,
            "{\"command\":\"/onPaid\",\"user_id\":\"42\"}", 201);
    String path = "/hooks/" + hook.get("id").asText();
    long setupNanos = System.nanoTime() - setupStart;

    long firstStart = System.nanoTime();
    HttpResponse first = hooks.handle(hit(path, content));
    long firstNanos = System.nanoTime() - firstStart;
    if (first.status() != 200) {
      throw new IllegalStateException("first hit answered " + first.status() + ": " + first.body());
    }
    long sinceJvmStart =
        System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();

    long[] warm = new long[warmHits];
    long warmStart = System.nanoTime();
    for (int i = 0; i < warmHits; i++) {
      long t = System.nanoTime();
      HttpResponse r = hooks.handle(hit(path, content));
      warm[i] = System.nanoTime() - t;
      if (r.status() != 200) {
        throw new IllegalStateException("hit " + i + " answered " + r.status());
      }
    }
    long warmTotal = System.nanoTime() - warmStart;
    Arrays.sort(warm);

    ObjectNode out = Json.object();
    out.put("runtime", "java " + System.getProperty("java.version"));
    out.put("jvm_start_to_first_answer_ms", sinceJvmStart);
    out.put("setup_ms", setupNanos / 1e6);
    out.put("first_hit_ms", firstNanos / 1e6);
    out.put("warm_hits", warmHits);
    out.put("warm_p50_us", warm[warmHits / 2] / 1e3);
    out.put("warm_p90_us", warm[(int) (warmHits * 0.9)] / 1e3);
    out.put("warm_p99_us", warm[(int) (warmHits * 0.99)] / 1e3);
    out.put("warm_hits_per_second", warmHits / (warmTotal / 1e9));
    out.put("answer", Json.parse(first.body()).get("answer").asText());
    System.out.println(Json.write(out));
    System.exit(0);
  }

  private static HttpRequest hit(String path, byte[] body) {
    return new HttpRequest(
        "POST", path, "", Map.of(),
        Headers.builder().add("Content-Type", "application/json").build(),
        body, "127.0.0.1", "bench", "http://127.0.0.1");
  }

  private static JsonNode call(
      HttpEndpoint api, String method, String path, String key, String body, int expected)
      throws Exception {
    HttpResponse r =
        api.handle(
            new HttpRequest(
                method, path, "", Map.of(),
                Headers.builder()
                    .add("Authorization", "Bearer " + key)
                    .add("Content-Type", body.startsWith("{") ? "application/json" : "text/plain")
                    .build(),
                body.getBytes(StandardCharsets.UTF_8), "127.0.0.1", "bench", "http://127.0.0.1"));
    if (r.status() != expected) {
      throw new IllegalStateException(
          method + " " + path + " answered " + r.status() + ": " + r.body());
    }
    return r.body().isEmpty() ? Json.object() : Json.parse(r.body());
  }
}
