package dev.botwebhooks.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Local HTTP throughput: POSTs a body from a number of connections for some seconds and counts
 * the answers per second. Against the local server it first makes a bot with the command, that
 * many users and a hook for each, and rotates over the hooks; against any other URL (a hello
 * server) it POSTs to that URL. Non-2xx answers are counted apart. Prints one JSON object.
 *
 * <p>Usage: {@code HttpLoad <url> <connections> <seconds> <content.json> [<admin key>
 * <command.js> <users>]}
 */
public final class HttpLoad {
  private HttpLoad() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4 && args.length != 7) {
      System.err.println(
          "usage: HttpLoad <url> <connections> <seconds> <content.json> [<admin key> <command.js> <users>]");
      System.exit(2);
    }
    String url = args[0];
    int connections = Integer.parseInt(args[1]);
    Duration length = Duration.ofSeconds(Long.parseLong(args[2]));
    byte[] body = Files.readAllBytes(Path.of(args[3]));
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(2))
            .build();
    List<URI> targets = new ArrayList<>();
    if (args.length == 7) {
      targets.addAll(seed(client, url, args[4], Files.readString(Path.of(args[5])),
          Integer.parseInt(args[6])));
    } else {
      targets.add(URI.create(url));
    }
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    ExecutorService threads = Executors.newFixedThreadPool(connections);
    List<Future<?>> done = new ArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < connections; c++) {
      int first = c;
      done.add(
          threads.submit(
              () -> {
                for (int i = first; running.get(); i += connections) {
                  URI target = targets.get(i % targets.size());
                  try {
                    HttpResponse<Void> r =
                        client.send(
                            HttpRequest.newBuilder(target)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                            HttpResponse.BodyHandlers.discarding());
                    (r.statusCode() / 100 == 2 ? ok : failed).incrementAndGet();
                  } catch (Exception e) {
                    failed.incrementAndGet();
                  }
                }
                return null;
              }));
    }
    Thread.sleep(length.toMillis());
    running.set(false);
    for (Future<?> f : done) {
      f.get();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    threads.shutdown();
    ObjectNode out = Json.object();
    out.put("url", url);
    out.put("connections", connections);
    out.put("targets", targets.size());
    out.put("answers_per_second", ok.get() / seconds);
    out.put("failed", failed.get());
    System.out.println(Json.write(out));
    System.exit(0);
  }

  /** A bot with the command, {@code users} users and a hook for each; the hooks' URLs. */
  private static List<URI> seed(
      HttpClient client, String base, String adminKey, String command, int users)
      throws Exception {
    JsonNode bot = call(client, "POST", base + "/bots", adminKey, "{\"name\":\"load\"}");
    String botUrl = base + "/bots/" + bot.get("id").asText();
    String key = bot.get("api_key").asText();
    call(client, "PUT", botUrl + "/commands/%2FonPaid", key, command);
    List<URI> hooks = new ArrayList<>();
    for (int u = 1; u <= users; u++) {
      call(client, "PUT", botUrl + "/users/" + u, key, "{\"first_name\":\"User " + u + "\"}");
      JsonNode hook =
          call(client, "POST", botUrl + "/webhooks", key,
              "{\"command\":\"/onPaid\",\"user_id\":\"" + u + "\"}");
      hooks.add(URI.create(hook.get("url").asText()));
    }
    return hooks;
  }

  private static JsonNode call(HttpClient client, String method, String url, String key, String body)
      throws Exception {
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", body.startsWith("{") ? "application/json" : "text/plain")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(method + " " + url + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body().isEmpty() ? Json.object() : Json.parse(r.body());
  }
}
