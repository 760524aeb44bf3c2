package dev.botwebhooks.store.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A loopback HTTP proxy in front of the test's DynamoDB endpoint that injects faults into the
 * requests passing through: it can delay a request, cut the connection after forwarding a request
 * and before its response (the request applied, its answer lost), or stall (never answer). It
 * honours {@code ClientRequestToken} on {@code TransactWriteItems} the way DynamoDB does and moto
 * does not: the first successful answer under a token is remembered and replayed to a resend of
 * the same request without forwarding it, and a different request under a used token is refused
 * with {@code IdempotentParameterMismatchException}.
 *
 * <p>One request per connection: each answer is followed by closing the connection, which the SDK
 * handles by opening another.
 */
public final class DynamoDbFaultProxy implements AutoCloseable {

  /** What to do with one request. */
  public enum Fault {
    /** Forward it and relay the answer. */
    PASS,
    /** Forward it after a pause, and relay the answer. */
    DELAY,
    /** Forward it, let it apply, and close the connection instead of answering. */
    CUT_AFTER_FORWARD,
    /** Neither forward nor answer: hold the connection until the client gives up. */
    STALL,
    /**
     * Answer a transaction without forwarding it, cancelled for a {@code ValidationError}, as
     * DynamoDB cancels one whose item would pass 400 KB.
     */
    CANCEL_VALIDATION,
    /** The same, cancelled for a {@code ThrottlingError}. */
    CANCEL_THROTTLING
  }

  /**
   * One request as the policy sees it.
   *
   * @param operation the DynamoDB operation, e.g. {@code TransactWriteItems}
   * @param token the {@code ClientRequestToken} of a transaction, else null
   * @param transaction for a transaction, its ordinal among distinct tokens (1 for the first),
   *     else 0
   * @param sends how many times this token has arrived, this time included (1 for others)
   * @param body the request's JSON text
   */
  public record Request(String operation, String token, int transaction, int sends, String body) {}

  /** Decides each request's fault. Called from the proxy's threads. */
  public interface Policy {
    Fault decide(Request request);
  }

  private final ServerSocket server;
  private final String targetHost;
  private final int targetPort;
  private final long delayMillis;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final Map<String, Remembered> answers = new ConcurrentHashMap<>();
  private final Map<String, Object> tokenLocks = new ConcurrentHashMap<>();
  private final Map<String, Integer> transactionOrdinal = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> sendsByToken = new ConcurrentHashMap<>();
  private final AtomicInteger transactions = new AtomicInteger();
  private final AtomicInteger forwardedTransactions = new AtomicInteger();
  private final AtomicInteger cut = new AtomicInteger();
  private final AtomicReference<Policy> policy = new AtomicReference<>(r -> Fault.PASS);

  /** The first successful answer under a token, and the request it answered. */
  private record Remembered(String bodyHash, byte[] response) {}

  /** A proxy to the test server's endpoint; {@link Fault#DELAY} pauses this long. */
  public DynamoDbFaultProxy(long delayMillis) throws IOException {
    URI target = URI.create(DynamoDbTestServer.endpoint());
    this.targetHost = target.getHost();
    this.targetPort = target.getPort();
    this.delayMillis = delayMillis;
    this.server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::acceptLoop, "fault-proxy");
    accept.setDaemon(true);
    accept.start();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  public void policy(Policy next) {
    policy.set(next);
  }

  /** Transactions forwarded to the server, resends included (replayed answers are not). */
  public int forwardedTransactions() {
    return forwardedTransactions.get();
  }

  /** Connections cut after their request was forwarded. */
  public int cutConnections() {
    return cut.get();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        open.add(client);
        Thread t = new Thread(() -> serve(client), "fault-proxy-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        // Closed.
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      byte[] head = readHead(in);
      if (head == null) {
        return;
      }
      String headText = new String(head, StandardCharsets.ISO_8859_1);
      byte[] body = in.readNBytes(contentLength(headText));
      String operation = header(headText, "x-amz-target");
      operation = operation == null ? "" : operation.substring(operation.indexOf('.') + 1);
      String text = new String(body, StandardCharsets.UTF_8);
      String token = null;
      if (operation.equals("TransactWriteItems")) {
        JsonNode json = Json.parse(text);
        token = json.path("ClientRequestToken").asText(null);
      }
      Request request = describe(operation, token, text);
      Fault fault = policy.get().decide(request);
      if (fault == Fault.STALL) {
        client.getInputStream().read(); // until the client closes
        return;
      }
      if (fault == Fault.CANCEL_VALIDATION || fault == Fault.CANCEL_THROTTLING) {
        OutputStream out = client.getOutputStream();
        out.write(
            cancelled(
                fault == Fault.CANCEL_VALIDATION ? "ValidationError" : "ThrottlingError",
                fault == Fault.CANCEL_VALIDATION
                    ? "Item size has exceeded the maximum allowed size"
                    : "Throughput exceeds the current capacity for one or more global secondary"
                        + " indexes"));
        out.flush();
        return;
      }
      if (fault == Fault.DELAY) {
        Thread.sleep(delayMillis);
      }
      byte[] response = answer(token, head, body);
      if (fault == Fault.CUT_AFTER_FORWARD) {
        cut.incrementAndGet();
        client.setSoLinger(true, 0); // a reset, as a dropped connection looks to the client
        return;
      }
      OutputStream out = client.getOutputStream();
      out.write(response);
      out.flush();
    } catch (IOException | RuntimeException e) {
      // The client went away, or the server did: the client sees a dropped connection.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      open.remove(client);
    }
  }

  private synchronized Request describe(String operation, String token, String body) {
    if (token == null) {
      return new Request(operation, null, 0, 1, body);
    }
    int ordinal =
        transactionOrdinal.computeIfAbsent(token, t -> transactions.incrementAndGet());
    int sends = sendsByToken.computeIfAbsent(token, t -> new AtomicInteger()).incrementAndGet();
    return new Request(operation, token, ordinal, sends, body);
  }

  /** The server's answer, or for a token already answered with success, that answer again. */
  private byte[] answer(String token, byte[] head, byte[] body) throws IOException {
    if (token == null) {
      return forward(head, body);
    }
    String hash = sha256(body);
    synchronized (tokenLock(token)) {
      Remembered first = answers.get(token);
      if (first != null) {
        return first.bodyHash().equals(hash) ? first.response() : mismatch();
      }
      forwardedTransactions.incrementAndGet();
      byte[] response = forward(head, body);
      if (statusOf(response) == 200) {
        answers.put(token, new Remembered(hash, response));
      }
      return response;
    }
  }

  private Object tokenLock(String token) {
    return tokenLocks.computeIfAbsent(token, t -> new Object());
  }

  private byte[] forward(byte[] head, byte[] body) throws IOException {
    String headText = new String(head, StandardCharsets.ISO_8859_1);
    StringBuilder rewritten = new StringBuilder();
    for (String line : headText.split("\r\n")) {
      if (line.isEmpty() || line.toLowerCase(Locale.ROOT).startsWith("connection:")) {
        continue;
      }
      rewritten.append(line).append("\r\n");
    }
    rewritten.append("Connection: close\r\n\r\n");
    try (Socket target = new Socket(targetHost, targetPort)) {
      OutputStream out = target.getOutputStream();
      out.write(rewritten.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      return target.getInputStream().readAllBytes();
    }
  }

  private static byte[] mismatch() {
    return clientError(
        "{\"__type\":\"com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException\","
            + "\"message\":\"request token reused for a different request\"}");
  }

  /** A TransactionCanceledException as DynamoDB sends it, its one item cancelled for the code. */
  private static byte[] cancelled(String code, String message) {
    return clientError(
        "{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionCanceledException\","
            + "\"Message\":\"Transaction cancelled, please refer cancellation reasons for specific"
            + " reasons [" + code + "]\",\"CancellationReasons\":[{\"Code\":\"" + code
            + "\",\"Message\":\"" + message + "\"}]}");
  }

  private static byte[] clientError(String body) {
    String head =
        "HTTP/1.1 400 Bad Request\r\nContent-Type: application/x-amz-json-1.0\r\n"
            + "Content-Length: "
            + body.getBytes(StandardCharsets.UTF_8).length
            + "\r\nConnection: close\r\n\r\n";
    return (head + body).getBytes(StandardCharsets.UTF_8);
  }

  private static int statusOf(byte[] response) {
    String text = new String(response, 0, Math.min(response.length, 12), StandardCharsets.ISO_8859_1);
    return text.startsWith("HTTP/1.") && text.length() >= 12
        ? Integer.parseInt(text.substring(9, 12))
        : -1;
  }

  /** The request line and headers, through the blank line; null when the client sent nothing. */
  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toByteArray();
  }

  private static int contentLength(String head) {
    String value = header(head, "content-length");
    if (value == null) {
      if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
        throw new IllegalStateException("the fault proxy reads only Content-Length bodies");
      }
      return 0;
    }
    return Integer.parseInt(value.trim());
  }

  private static String header(String head, String name) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) {
      s.close();
    }
  }
}
