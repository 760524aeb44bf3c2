package dev.botwebhooks.bench;

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
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback HTTP proxy in front of a DynamoDB endpoint that holds every request for a fixed delay
 * before forwarding it, as a distant region would, and records when each request was in flight.
 * Requests sent together overlap in time; requests sent one after another do not, so the number
 * of waves of overlapping requests is the number of sequential round trips (README
 * "Performance").
 */
public final class DelayingProxy implements AutoCloseable {
  private static final Set<String> NOT_FORWARDED =
      Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding");

  /**
   * One forwarded request: its DynamoDB operation, when it was received and answered, and the time
   * that was not the fixed delay's: the endpoint's, answering it once forwarded, and the proxy's
   * own oversleep past the delay (a thread that sleeps wakes late on an idle machine).
   */
  public record Exchange(String operation, long startNanos, long endNanos, long endpointNanos) {}

  private final URI target;
  private final Duration delay;
  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final HttpClient client;
  private final List<Exchange> exchanges = new ArrayList<>();

  /** Starts a proxy on a free loopback port, forwarding to {@code target} after {@code delay}. */
  public DelayingProxy(URI target, Duration delay) throws IOException {
    this.target = target;
    this.delay = delay;
    this.client = HttpClient.newBuilder().executor(threads).build();
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/", this::forward);
    server.setExecutor(threads);
    server.start();
  }

  /** The proxy's own URL, to use as the DynamoDB endpoint. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void forward(HttpExchange in) throws IOException {
    long start = System.nanoTime();
    try (in) {
      byte[] body;
      try (InputStream s = in.getRequestBody()) {
        body = s.readAllBytes();
      }
      long held = System.nanoTime();
      Thread.sleep(delay.toMillis());
      long forwarded = System.nanoTime();
      long overslept = Math.max(0, forwarded - held - delay.toNanos());
      HttpRequest.Builder out =
          HttpRequest.newBuilder(target.resolve(in.getRequestURI()))
              .method(in.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
      in.getRequestHeaders()
          .forEach(
              (name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                  values.forEach(v -> out.header(name, v));
                }
              });
      HttpResponse<byte[]> answer = client.send(out.build(), HttpResponse.BodyHandlers.ofByteArray());
      long endpoint = System.nanoTime() - forwarded + overslept;
      answer
          .headers()
          .map()
          .forEach(
              (name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))
                    && !name.startsWith(":")) {
                  in.getResponseHeaders().put(name, values);
                }
              });
      byte[] bytes = answer.body();
      record(in, start, endpoint); // before the answer leaves: there when the caller has it
      in.sendResponseHeaders(answer.statusCode(), bytes.length == 0 ? -1 : bytes.length);
      try (OutputStream o = in.getResponseBody()) {
        o.write(bytes);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      record(in, start, 0);
      in.sendResponseHeaders(502, -1);
    }
  }

  private void record(HttpExchange in, long start, long endpoint) {
    String target = in.getRequestHeaders().getFirst("X-Amz-Target");
    String operation = target == null ? "?" : target.substring(target.indexOf('.') + 1);
    synchronized (exchanges) {
      exchanges.add(new Exchange(operation, start, System.nanoTime(), endpoint));
    }
  }

  /** The requests forwarded since the last {@link #reset}, in the order they arrived. */
  public List<Exchange> exchanges() {
    synchronized (exchanges) {
      List<Exchange> copy = new ArrayList<>(exchanges);
      copy.sort(Comparator.comparingLong(Exchange::startNanos));
      return copy;
    }
  }

  /** How many requests were forwarded since the last {@link #reset}. */
  public int requests() {
    synchronized (exchanges) {
      return exchanges.size();
    }
  }

  /** How many waves of overlapping requests were forwarded since the last {@link #reset}. */
  public int waves() {
    return waves(exchanges()).size();
  }

  /**
   * The endpoint's own time in the requests received from {@code fromNanos} to {@code toNanos}: of
   * each wave of overlapping requests, the longest the endpoint took to answer one of them. A hit's
   * latency less this is the delay times its sequential round trips, plus its own work.
   */
  public long endpointNanos(long fromNanos, long toNanos) {
    List<Exchange> within = new ArrayList<>();
    for (Exchange e : exchanges()) {
      if (e.startNanos() >= fromNanos && e.startNanos() <= toNanos) {
        within.add(e);
      }
    }
    long total = 0;
    for (List<Exchange> wave : waves(within)) {
      total += wave.stream().mapToLong(Exchange::endpointNanos).max().orElse(0);
    }
    return total;
  }

  /** Exchanges in order of arrival, grouped into waves of requests that overlap in time. */
  private static List<List<Exchange>> waves(List<Exchange> inOrder) {
    List<List<Exchange>> waves = new ArrayList<>();
    long end = Long.MIN_VALUE;
    for (Exchange e : inOrder) {
      if (e.startNanos() > end) {
        waves.add(new ArrayList<>());
      }
      waves.get(waves.size() - 1).add(e);
      end = Math.max(end, e.endNanos());
    }
    return waves;
  }

  public void reset() {
    synchronized (exchanges) {
      exchanges.clear();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
