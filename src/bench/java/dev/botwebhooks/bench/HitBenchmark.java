package dev.botwebhooks.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.Minter;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.http.Headers;
import dev.botwebhooks.http.HttpEndpoint;
import dev.botwebhooks.http.HttpRequest;
import dev.botwebhooks.http.HttpResponse;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.script.RhinoScriptRuntime;
import dev.botwebhooks.store.MemoryStore;
import dev.botwebhooks.store.dynamodb.DynamoStore;
import dev.botwebhooks.webhook.HitService;
import dev.botwebhooks.webhook.WebhookEndpoint;
import dev.botwebhooks.wiring.Deployment;
import java.io.PrintStream;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Times webhook hits of one command in this JVM through the whole hit path ({@code WebhookEndpoint}:
 * rate limit, hook, bot and user, the sandboxed run, the commit, the answer, the log line): the
 * first hit, then many warm hits, with the compilations and loaded classes the warm hits added. On
 * the embedded store by default; given a DynamoDB endpoint, through a {@link DelayingProxy} in
 * front of it, also counting DynamoDB requests and sequential round trips per warm hit. Each hit's
 * log line is dropped. Prints one JSON object. Run by {@code scripts/bench.sh}.
 *
 * <p>Usage: {@code HitBenchmark <command.js> <content.json> <warm hits> [<dynamodb endpoint>
 * <delay ms>]}
 */
public final class HitBenchmark {
  private static final String ADMIN_KEY = "bench-admin-key";

  /** A local DynamoDB stand-in on a busy machine can take seconds; a timeout is no figure. */
  static final DynamoStore.Timeouts PATIENT =
      new DynamoStore.Timeouts(Duration.ofSeconds(20), Duration.ofSeconds(60), 3);

  private HitBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3 && args.length != 5) {
      System.err.println(
          "usage: HitBenchmark <command.js> <content.json> <warm hits> [<dynamodb endpoint> <delay ms>]");
      System.exit(2);
    }
    String command = Files.readString(Path.of(args[0]));
    byte[] content = Files.readAllBytes(Path.of(args[1]));
    int warmHits = Integer.parseInt(args[2]);
    Optional<DelayingProxy> proxy =
        args.length == 5
            ? Optional.of(
                new DelayingProxy(URI.create(args[3]), Duration.ofMillis(Long.parseLong(args[4]))))
            : Optional.empty();
    PrintStream out = System.out;
    System.setErr(new PrintStream(PrintStream.nullOutputStream())); // one log line per hit

    Map<String, String> env = new HashMap<>();
    env.put(Settings.Env.ADMIN_KEY, ADMIN_KEY);
    env.put(Settings.Env.RATE_LIMIT_PER_MINUTE, "100000000");
    proxy.ifPresent(
        p -> {
          env.put(Settings.Env.DYNAMODB_ENDPOINT, p.url());
          env.put(Settings.Env.TABLE_NAME, "bench-" + UUID.randomUUID());
          env.put(Settings.Env.AWS_REGION, "us-east-1");
        });
    Settings settings = Settings.from(env);
    Clock clock = Clock.systemUTC();
    IdGenerator ids = IdGenerator.secure();
    Store store;
    if (proxy.isPresent()) {
      DynamoStore dynamo = DynamoStore.create(settings, PATIENT);
      dynamo.createTableIfAbsent();
      store = dynamo;
    } else {
      store = new MemoryStore();
    }
    HttpEndpoint api = new Deployment(settings, store, ids, clock).botApi();
    RhinoScriptRuntime runtime = new RhinoScriptRuntime(settings.limits(), clock);
    HttpEndpoint hooks =
        new WebhookEndpoint(
            new HitService(store, runtime, new Minter(store, ids, clock), ids, clock, settings),
            settings,
            clock);

    JsonNode bot = call(api, "POST", "/bots", ADMIN_KEY, "{\"name\":\"bench\"}", 201);
    String botId = bot.get("id").asText();
    String key = bot.get("api_key").asText();
    call(api, "PUT", "/bots/" + botId + "/commands/%2FonPaid", key, command, 200);
    call(api, "PUT", "/bots/" + botId + "/users/42", key, "{\"first_name\":\"Ann\"}", 200);
    JsonNode hook =
        call(api, "POST", "/bots/" + botId + "/webhooks", key,
            "{\"command\":\"/onPaid\",\"user_id\":\"42\"}", 201);
    String path = "/hooks/" + hook.get("id").asText();

    long firstStart = System.nanoTime();
    HttpResponse first = hooks.handle(hit(path, content));
    long firstNanos = System.nanoTime() - firstStart;
    if (first.status() != 200) {
      throw new IllegalStateException("first hit answered " + first.status() + ": " + first.body());
    }
    // A short warm-up, then what the warm hits add to compilations and loaded classes.
    for (int i = 0; i < Math.min(1000, warmHits / 10); i++) {
      hooks.handle(hit(path, content));
    }
    // The proxy's reset first: its method reference is a class of this benchmark, not of a hit.
    proxy.ifPresent(DelayingProxy::reset);
    ClassLoadingMXBean loading = ManagementFactory.getClassLoadingMXBean();
    long compiled = runtime.compilations();
    long classes = loading.getTotalLoadedClassCount();

    long[] warm = new long[warmHits];
    long[] starts = new long[warmHits];
    long warmStart = System.nanoTime();
    for (int i = 0; i < warmHits; i++) {
      long t = System.nanoTime();
      HttpResponse r = hooks.handle(hit(path, content));
      warm[i] = System.nanoTime() - t;
      starts[i] = t;
      if (r.status() != 200) {
        throw new IllegalStateException("hit " + i + " answered " + r.status() + ": " + r.body());
      }
    }
    long warmTotal = System.nanoTime() - warmStart;
    long classesAdded = loading.getTotalLoadedClassCount() - classes;
    long compilationsAdded = runtime.compilations() - compiled;
    // Each hit's latency less the endpoint's own time answering its requests: an endpoint that has
    // sat idle through the delay answers slower (README "Performance"), which is not a round trip.
    long[] lessEndpoint = new long[proxy.isPresent() ? warmHits : 0];
    for (int i = 0; i < lessEndpoint.length; i++) {
      lessEndpoint[i] = warm[i] - proxy.get().endpointNanos(starts[i], starts[i] + warm[i]);
    }
    Arrays.sort(warm);
    Arrays.sort(lessEndpoint);

    ObjectNode result = Json.object();
    result.put("runtime", "java " + System.getProperty("java.version"));
    result.put("store", proxy.isPresent() ? "dynamodb" : "embedded");
    result.put("first_hit_ms", firstNanos / 1e6);
    result.put("warm_hits", warmHits);
    result.put("warm_p50_us", warm[warmHits / 2] / 1e3);
    result.put("warm_p99_us", warm[(int) (warmHits * 0.99)] / 1e3);
    result.put("warm_hits_per_second", warmHits / (warmTotal / 1e9));
    result.put("compilations_during_warm_hits", compilationsAdded);
    result.put("classes_loaded_during_warm_hits", classesAdded);
    if (proxy.isPresent()) {
      result.put("dynamodb_requests_per_hit", proxy.get().requests() / (double) warmHits);
      result.put("round_trips_per_hit", proxy.get().waves() / (double) warmHits);
      result.put("warm_p50_less_endpoint_us", lessEndpoint[warmHits / 2] / 1e3);
      proxy.get().close();
    }
    JsonNode answer = Json.parse(first.body()).get("answer");
    result.put("answer", answer == null || answer.isNull() ? null : answer.asText());
    out.println(Json.write(result));
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
