package dev.botwebhooks.egress;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A local HTTP server on 127.0.0.1 that records what it received; the only place tests call. */
public final class TestServer implements AutoCloseable {
  /** What one request brought. */
  public record Received(String method, String uri, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      List<String> values = headers.get(name.substring(0, 1).toUpperCase() + name.substring(1));
      return values == null ? null : String.join(", ", values);
    }
  }

  private final HttpServer server;
  public final List<Received> received = new CopyOnWriteArrayList<>();

  public TestServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.start();
  }

  /** Serves {@code path} with a handler, recording each request first. */
  public TestServer on(String path, HttpHandler handler) {
    server.createContext(
        path,
        exchange -> {
          String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          received.add(
              new Received(
                  exchange.getRequestMethod(),
                  exchange.getRequestURI().toString(),
                  Map.copyOf(exchange.getRequestHeaders()),
                  body));
          handler.handle(exchange);
        });
    return this;
  }

  public static void answer(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (contentType != null) {
      exchange.getResponseHeaders().add("Content-Type", contentType);
    }
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The {@code HTTP_EGRESS_ALLOW} entry of this server. */
  public String hostPort() {
    return "127.0.0.1:" + port();
  }

  public String url(String path) {
    return "http://" + hostPort() + path;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
