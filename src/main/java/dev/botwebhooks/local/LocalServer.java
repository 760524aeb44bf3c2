package dev.botwebhooks.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.http.Json;
import dev.botwebhooks.lambda.FunctionName;
import dev.botwebhooks.lambda.LocalRuntime;
import dev.botwebhooks.lambda.Routes;
import dev.botwebhooks.lambda.Routes.Route;
import dev.botwebhooks.wiring.Deployment;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for API Gateway on 127.0.0.1: each request becomes an HTTP API payload 2.0
 * event, is routed by {@link Routes} (the table {@code template.yaml} declares) to the real
 * handler, and the handler's response event is written back as HTTP.
 */
public final class LocalServer implements AutoCloseable {
  /** API Gateway's own limit on a request payload. */
  static final int MAX_REQUEST_BYTES = 10 * 1024 * 1024;

  /** Response headers the HTTP server sets itself. */
  private static final Set<String> HOP_HEADERS =
      Set.of("content-length", "transfer-encoding", "connection", "date");

  /** What EventBridge sends on the template's one-minute schedule. */
  private static final byte[] SCHEDULE_EVENT =
      "{\"source\":\"aws.events\",\"detail-type\":\"Scheduled Event\",\"detail\":{}}"
          .getBytes(StandardCharsets.UTF_8);

  private static final long SCHEDULE_SECONDS = 5;

  private final HttpServer server;
  private final ExecutorService executor;
  private final ScheduledExecutorService schedule =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "local-schedule");
            t.setDaemon(true);
            return t;
          });
  private final LocalRuntime runtime;
  private final boolean trustForwardedFor;

  private LocalServer(
      HttpServer server, ExecutorService executor, LocalRuntime runtime, boolean trust) {
    this.server = server;
    this.executor = executor;
    this.runtime = runtime;
    this.trustForwardedFor = trust;
  }

  /** Starts serving on 127.0.0.1:{@code port} (0: a free port). */
  public static LocalServer start(LocalRuntime runtime, int port, boolean trustForwardedFor)
      throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            8,
            r -> {
              Thread t = new Thread(r, "local-gateway-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    LocalServer local = new LocalServer(server, executor, runtime, trustForwardedFor);
    server.createContext("/", local::exchange);
    server.setExecutor(executor);
    server.start();
    // The local stand-in for the template's schedule: due Bot.run({ run_after }) runs execute
    // within a few seconds of their time.
    local.schedule.scheduleWithFixedDelay(
        local::pollDueRuns, SCHEDULE_SECONDS, SCHEDULE_SECONDS, TimeUnit.SECONDS);
    return local;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  @Override
  public void close() {
    schedule.shutdownNow();
    server.stop(0);
    executor.shutdownNow();
  }

  private void pollDueRuns() {
    try {
      runtime.invoke(FunctionName.WEBHOOK, SCHEDULE_EVENT, "schedule-" + System.nanoTime());
    } catch (IOException | RuntimeException e) {
      System.err.println("scheduled runs poll failed: " + e);
    }
  }

  private void exchange(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
      String rawPath = exchange.getRequestURI().getRawPath();
      String rawQuery = Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse("");
      byte[] body = readBody(exchange.getRequestBody());
      if (body == null) {
        gatewayError(exchange, method, 413, "Request Entity Too Large");
        return;
      }
      Optional<Route> route = Routes.match(method, rawPath == null ? "/" : rawPath);
      if (route.isEmpty()) {
        gatewayError(exchange, method, 404, "Not Found");
        return;
      }
      String requestId = UUID.randomUUID().toString();
      HttpApiEvents.Incoming incoming =
          new HttpApiEvents.Incoming(
              method,
              rawPath,
              rawQuery,
              exchange.getRequestHeaders(),
              body,
              sourceIp(exchange),
              requestId,
              Instant.now());
      byte[] event = Json.MAPPER.writeValueAsBytes(HttpApiEvents.build(incoming, route.get()));
      byte[] response;
      try {
        response = runtime.invoke(route.get().function(), event, requestId);
      } catch (IOException | RuntimeException e) {
        System.err.println("request " + requestId + ": the function failed: " + e);
        gatewayError(exchange, method, 500, "Internal Server Error");
        return;
      }
      writeResponse(exchange, method, response);
    }
  }

  /** The body, or null when it is larger than API Gateway accepts. */
  private static byte[] readBody(InputStream in) throws IOException {
    byte[] body = in.readNBytes(MAX_REQUEST_BYTES + 1);
    return body.length > MAX_REQUEST_BYTES ? null : body;
  }

  private String sourceIp(HttpExchange exchange) {
    if (trustForwardedFor) {
      List<String> forwarded = exchange.getRequestHeaders().get("X-Forwarded-For");
      if (forwarded != null && !forwarded.isEmpty()) {
        // The rightmost address is the one the nearest proxy saw; earlier ones are client claims.
        String[] hops = forwarded.get(forwarded.size() - 1).split(",");
        String last = hops[hops.length - 1].trim();
        if (!last.isEmpty()) {
          return last;
        }
      }
    }
    return exchange.getRemoteAddress().getAddress().getHostAddress();
  }

  /** Writes a handler's response event back, as API Gateway reads payload 2.0 responses. */
  private static void writeResponse(HttpExchange exchange, String method, byte[] responseEvent)
      throws IOException {
    JsonNode response;
    try {
      response = Json.MAPPER.readTree(responseEvent);
    } catch (IOException e) {
      gatewayError(exchange, method, 500, "Internal Server Error");
      return;
    }
    if (response == null || !response.isObject() || !response.has("statusCode")) {
      // Payload 2.0: a response without statusCode is itself the JSON body of a 200.
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      send(exchange, method, 200, Json.MAPPER.writeValueAsBytes(response));
      return;
    }
    int status = response.path("statusCode").asInt(500);
    response
        .path("headers")
        .properties()
        .forEach(
            h -> {
              if (!HOP_HEADERS.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                exchange.getResponseHeaders().add(h.getKey(), h.getValue().asText());
              }
            });
    response
        .path("multiValueHeaders")
        .properties()
        .forEach(
            h ->
                h.getValue()
                    .forEach(v -> exchange.getResponseHeaders().add(h.getKey(), v.asText())));
    response
        .path("cookies")
        .forEach(c -> exchange.getResponseHeaders().add("Set-Cookie", c.asText()));
    String text = response.path("body").isNull() ? "" : response.path("body").asText("");
    byte[] body =
        response.path("isBase64Encoded").asBoolean(false)
            ? Base64.getDecoder().decode(text)
            : text.getBytes(StandardCharsets.UTF_8);
    send(exchange, method, status, body);
  }

  private static void gatewayError(HttpExchange exchange, String method, int status, String text)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    byte[] body = Json.write(Json.object().put("message", text)).getBytes(StandardCharsets.UTF_8);
    send(exchange, method, status, body);
  }

  private static void send(HttpExchange exchange, String method, int status, byte[] body)
      throws IOException {
    boolean noBody = method.equals("HEAD") || status == 204 || status == 304 || body.length == 0;
    exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
    if (!noBody) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** {@code LocalServer [--port N] [--demo] [--trust-forwarded-for]}; see {@code run-local.sh}. */
  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(Options.USAGE);
      System.exit(2);
      return;
    }
    Settings env = Settings.fromEnvironment();
    boolean generatedKey = env.adminKey().isEmpty();
    String adminKey = env.adminKey().orElseGet(LocalServer::newAdminKey);
    Settings settings =
        new Settings(
            env.tableName(),
            env.dynamoDbEndpoint(),
            env.region(),
            Optional.of(adminKey),
            env.publicBaseUrl(),
            env.ipAllowlist(),
            env.limits(),
            env.hitLog());
    Deployment deployment = Deployment.local(settings);
    LocalRuntime runtime =
        LocalRuntime.of(
            deployment.webhooks(), deployment.hitService()::runDueRuns, deployment.botApi());
    LocalServer server = start(runtime, options.port(), options.trustForwardedFor());

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

    PrintStream out = System.out;
    String store =
        settings
            .dynamoDbEndpoint()
            .map(e -> "DynamoDB at " + e + ", table " + settings.tableName())
            .orElse("the embedded in-memory store");
    out.println("Bot webhooks local server: " + server.baseUrl() + " (on " + store + ")");
    out.println(
        "Admin key: "
            + adminKey
            + (generatedKey
                ? "   (generated; set ADMIN_KEY to choose it)"
                : "   (from ADMIN_KEY)"));
    if (options.trustForwardedFor()) {
      out.println("Client IP: the rightmost X-Forwarded-For address when present.");
    }
    out.println();
    out.println("Start with:");
    out.println("  " + Demo.createBotCurl(server.baseUrl(), adminKey));
    out.println("  " + Demo.uploadCommandCurl(server.baseUrl(), "<bot id>", "<api key>"));
    out.println("  " + Demo.mintCurl(server.baseUrl(), "<bot id>", "<api key>"));
    if (options.demo()) {
      out.println();
      try {
        Demo.Seeded seeded = Demo.seed(server.baseUrl(), adminKey);
        seeded.print(out, server.baseUrl());
      } catch (Demo.SeedFailedException e) {
        System.err.println("The demo bot could not be seeded: " + e.getMessage());
      }
    }
    out.println();
    out.println("Serving until Ctrl-C.");
    out.flush();
    stopped.await();
  }

  private static String newAdminKey() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return "adm_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
