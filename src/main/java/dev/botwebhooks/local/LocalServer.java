package dev.botwebhooks.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.lambda.FunctionName;
import dev.botwebhooks.lambda.LocalRuntime;
import dev.botwebhooks.lambda.Routes.Route;
import dev.botwebhooks.lambda.Routes;
import dev.botwebhooks.script.RhinoScriptRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A local stand-in for API Gateway on 127.0.0.1: each request becomes an HTTP API payload 2.0
 * event, is routed by {@link Routes} (the table {@code template.yaml} declares) to the real
 * handler, and the handler's response event is written back as HTTP.
 */
public final class LocalServer implements AutoCloseable {
  /** API Gateway's own limit on a request payload. */
  static final int MAX_REQUEST_BYTES = 10 * 1024 * 1024;

  /** What EventBridge sends on the template's one-minute schedule. */
  private static final byte[] SCHEDULE_EVENT =
      "{\"source\":\"aws.events\",\"detail-type\":\"Scheduled Event\",\"detail\":{}}"
          .getBytes(StandardCharsets.UTF_8);

  private static final long SCHEDULE_SECONDS = 5;

  private final LoopbackHttpServer server;
  private final ScheduledExecutorService schedule =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "local-schedule");
            t.setDaemon(true);
            return t;
          });
  /** The local server's health route (not part of the API). */
  public static final String HEALTH_PATH = "/_local/health";

  private final LocalRuntime runtime;
  private final boolean trustForwardedFor;

  private LocalServer(LocalRuntime runtime, boolean trust, int port) throws IOException {
    this.runtime = runtime;
    this.trustForwardedFor = trust;
    this.server = LoopbackHttpServer.start(port, MAX_REQUEST_BYTES, this::exchange);
  }

  /**
   * Starts serving on 127.0.0.1:{@code port} (0: a free port).
   *
   * @throws java.net.BindException when the port is in use
   */
  public static LocalServer start(LocalRuntime runtime, int port, boolean trustForwardedFor)
      throws IOException {
    LocalServer local = new LocalServer(runtime, trustForwardedFor, port);
    // The local stand-in for the template's schedules: due Bot.run({ run_after }) runs execute
    // within a few seconds of their time, and so do kept outbound calls the queue did not make.
    local.schedule.scheduleWithFixedDelay(
        local::pollDueRuns, SCHEDULE_SECONDS, SCHEDULE_SECONDS, TimeUnit.SECONDS);
    return local;
  }

  public int port() {
    return server.port();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  @Override
  public void close() {
    schedule.shutdownNow();
    server.close();
  }

  private void pollDueRuns() {
    try {
      runtime.invoke(FunctionName.WEBHOOK, SCHEDULE_EVENT, "schedule-" + System.nanoTime());
    } catch (IOException | RuntimeException e) {
      System.err.println("scheduled runs poll failed: " + e);
    }
    if (runtime.serves(FunctionName.HTTP_CALL)) {
      try {
        runtime.invoke(FunctionName.HTTP_CALL, SCHEDULE_EVENT, "schedule-" + System.nanoTime());
      } catch (IOException | RuntimeException e) {
        System.err.println("due outbound calls poll failed: " + e);
      }
    }
  }

  private LoopbackHttpServer.Response exchange(LoopbackHttpServer.Request request) {
    if (HEALTH_PATH.equals(request.rawPath())) {
      return health();
    }
    Optional<Route> route = Routes.match(request.method(), request.rawPath());
    if (route.isEmpty()) {
      return LoopbackHttpServer.gatewayError(404, "Not Found");
    }
    String requestId = UUID.randomUUID().toString();
    HttpApiEvents.Incoming incoming =
        new HttpApiEvents.Incoming(
            request.method(),
            request.rawPath(),
            request.rawQuery(),
            request.headers(),
            request.body(),
            sourceIp(request),
            requestId,
            Instant.now());
    try {
      byte[] event = Json.MAPPER.writeValueAsBytes(HttpApiEvents.build(incoming, route.get()));
      return toResponse(runtime.invoke(route.get().function(), event, requestId));
    } catch (IOException | RuntimeException e) {
      System.err.println("request " + requestId + ": the function failed: " + e);
      return LoopbackHttpServer.gatewayError(500, "Internal Server Error");
    }
  }

  /**
   * The local server's own health: 200 while no script run was abandoned in this process and
   * none ended in an error that may break the JVM for later runs (a Java stack overflow, a class
   * that could not be initialised), 503 once one did (restart the server). Not an
   * API Gateway route: in AWS the function replaces its environment instead (README "When a run
   * does not stop").
   */
  private static LoopbackHttpServer.Response health() {
    int abandoned = RhinoScriptRuntime.abandonedInProcess();
    int faulted = RhinoScriptRuntime.faultedInProcess();
    boolean trusted = abandoned == 0 && faulted == 0;
    byte[] body =
        Json.write(
                Json.object()
                    .put("status", trusted ? "ok" : "untrusted")
                    .put("abandoned_runs", abandoned)
                    .put("faulted_runs", faulted))
            .getBytes(StandardCharsets.UTF_8);
    return new LoopbackHttpServer.Response(
        trusted ? 200 : 503, List.of(Map.entry("Content-Type", "application/json")), body);
  }

  private String sourceIp(LoopbackHttpServer.Request request) {
    if (trustForwardedFor) {
      List<String> forwarded = request.headers().get("x-forwarded-for");
      if (forwarded != null && !forwarded.isEmpty()) {
        // The rightmost address is the one the nearest proxy saw; earlier ones are client claims.
        String[] hops = forwarded.get(forwarded.size() - 1).split(",");
        String last = hops[hops.length - 1].trim();
        if (!last.isEmpty()) {
          return last;
        }
      }
    }
    return request.client().getHostAddress();
  }

  /** A handler's response event as HTTP, as API Gateway reads payload 2.0 responses. */
  private static LoopbackHttpServer.Response toResponse(byte[] responseEvent) throws IOException {
    JsonNode response = Json.MAPPER.readTree(responseEvent);
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    if (response == null || !response.isObject() || !response.has("statusCode")) {
      // Payload 2.0: a response without statusCode is itself the JSON body of a 200.
      headers.add(Map.entry("Content-Type", "application/json"));
      return new LoopbackHttpServer.Response(
          200, headers, Json.MAPPER.writeValueAsBytes(response));
    }
    int status = response.path("statusCode").asInt(500);
    response
        .path("headers")
        .properties()
        .forEach(h -> headers.add(Map.entry(h.getKey(), h.getValue().asText())));
    response
        .path("multiValueHeaders")
        .properties()
        .forEach(h -> h.getValue().forEach(v -> headers.add(Map.entry(h.getKey(), v.asText()))));
    response.path("cookies").forEach(c -> headers.add(Map.entry("Set-Cookie", c.asText())));
    String text = response.path("body").isNull() ? "" : response.path("body").asText("");
    byte[] body =
        response.path("isBase64Encoded").asBoolean(false)
            ? Base64.getDecoder().decode(text)
            : text.getBytes(StandardCharsets.UTF_8);
    return new LoopbackHttpServer.Response(status, headers, body);
  }

  /** {@code LocalServer [--port N] [--demo] [--trust-forwarded-for]}; see {@code run-local.sh}. */
  public static void main(String[] args) throws Exception {
    Launcher.Launched launched = Launcher.launch(args, System.getenv(), System.out, System.err);
    if (launched.server().isEmpty()) {
      System.exit(launched.exitCode());
      return;
    }
    LocalServer server = launched.server().get();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  System.out.println("Stopped.");
                  stopped.countDown();
                },
                "local-server-stop"));
    stopped.await();
  }
}
