package dev.botwebhooks.store.dynamodb;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback HTTP proxy in front of the test's DynamoDB server that counts the requests it
 * receives: what the server side saw, to hold a client-side count against.
 */
public final class CountingProxy implements AutoCloseable {
  /** Headers the JDK client sets itself (or refuses to set). */
  private static final Set<String> HOP_HEADERS =
      Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding");

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final HttpClient client = HttpClient.newHttpClient();
  private final URI target;
  private final AtomicLong requests = new AtomicLong();

  private CountingProxy(URI target) throws IOException {
    this.target = target;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(threads);
    server.createContext("/", this::forward);
    server.start();
  }

  /** A proxy to {@code target} (a loopback URL), started on a free loopback port. */
  public static CountingProxy to(String target) throws IOException {
    return new CountingProxy(URI.create(target));
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Requests received so far. */
  public long requests() {
    return requests.get();
  }

  private void forward(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      HttpRequest.Builder out =
          HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
              .method(exchange.getRequestMethod(), BodyPublishers.ofByteArray(body));
      for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
        if (!HOP_HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT))) {
          header.getValue().forEach(v -> out.header(header.getKey(), v));
        }
      }
      HttpResponse<byte[]> answer;
      try {
        answer = client.send(out.build(), BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.sendResponseHeaders(502, -1);
        return;
      }
      answer
          .headers()
          .map()
          .forEach(
              (name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                  exchange.getResponseHeaders().put(name, values);
                }
              });
      byte[] bytes = answer.body();
      exchange.sendResponseHeaders(answer.statusCode(), bytes.length == 0 ? -1 : bytes.length);
      try (OutputStream o = exchange.getResponseBody()) {
        o.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
