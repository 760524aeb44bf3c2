package dev.botwebhooks.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.egress.EgressSettings;
import dev.botwebhooks.core.HttpCallQueue;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.lambda.LocalRuntime;
import dev.botwebhooks.local.LocalServer;
import dev.botwebhooks.wiring.Deployment;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One deployment served by the local server with {@code --trust-forwarded-for}, reached over real
 * sockets as an outside caller would: the admin creates bots, bots are driven through the bot API.
 */
final class LocalService implements AutoCloseable {
  static final String ADMIN_KEY = "reliability-admin-key-9f3c1e7a5b";

  /** Generous: only a guard against a hang, never a measurement. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  final Deployment deployment;
  final LocalServer server;
  final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  LocalService(Store store, Map<String, String> env) {
    this(store, env, Clock.systemUTC());
  }

  LocalService(Store store, Map<String, String> env, Clock clock) {
    this(store, env, clock, Optional.empty());
  }

  /** With committed runs' calls sent to {@code queue}, as SQS takes them in AWS. */
  LocalService(Store store, Map<String, String> env, HttpCallQueue queue) {
    this(store, env, Clock.systemUTC(), Optional.of(queue));
  }

  private LocalService(
      Store store, Map<String, String> env, Clock clock, Optional<HttpCallQueue> queue) {
    Map<String, String> all = new LinkedHashMap<>(env);
    all.put(Settings.Env.ADMIN_KEY, ADMIN_KEY);
    all.putIfAbsent(Settings.Env.RATE_LIMIT_PER_MINUTE, "100000");
    deployment =
        new Deployment(
            Settings.from(all), store, IdGenerator.secure(), clock, EgressSettings.fromEnvironment(),
            queue);
    try {
      server =
          LocalServer.start(
              LocalRuntime.of(
                  deployment.webhooks(), deployment.hitService()::runDueRuns, deployment.botApi()),
              0,
              true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates a bot through {@code POST /bots} with the admin key. */
  BotClient createBot(String name) {
    return BotClient.create(this, ADMIN_KEY, name);
  }

  /** The same bot, driven through this instance (another container on the same table). */
  BotClient bot(BotClient other) {
    return other.on(this);
  }

  HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(server.baseUrl() + pathAndQuery))
        .timeout(REQUEST_TIMEOUT);
  }

  HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** What a raw HTTP/1.1 exchange answered: status (-1 if the connection closed) and body. */
  record RawAnswer(int status, String text) {}

  /**
   * Sends bytes as they are, for requests a well-behaved client refuses to build (bad escapes,
   * NUL, odd methods); the request must ask for {@code Connection: close}.
   */
  RawAnswer raw(byte[] request) {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      s.setSoTimeout((int) REQUEST_TIMEOUT.toMillis());
      OutputStream out = s.getOutputStream();
      try {
        out.write(request);
        out.flush();
      } catch (IOException e) {
        // The server may close early on a request it refuses; read what it said, if anything.
      }
      InputStream in = s.getInputStream();
      String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      if (!text.startsWith("HTTP/1.1 ")) {
        return new RawAnswer(-1, text);
      }
      return new RawAnswer(Integer.parseInt(text.substring(9, 12)), text);
    } catch (IOException e) {
      return new RawAnswer(-1, e.toString());
    }
  }

  RawAnswer raw(String head) {
    return raw(head.getBytes(StandardCharsets.ISO_8859_1));
  }

  static JsonNode parse(String body) {
    try {
      return Json.parse(body);
    } catch (IOException | RuntimeException e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
