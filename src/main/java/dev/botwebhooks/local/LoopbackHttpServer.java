package dev.botwebhooks.local;

import dev.botwebhooks.json.Json;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP/1.1 server on a loopback socket: the wire side of the local stand-in for API
 * Gateway. The JDK's built-in server answers some requests itself, before any handler, with an
 * HTML page naming a Java exception (a request target with a bad percent-encoding); this one
 * answers every request it refuses as API Gateway does, with a JSON {@code {"message": ...}}
 * (README, "What a hit answers"). It keeps connections alive, reads {@code Content-Length} and
 * chunked bodies, and answers {@code Expect: 100-continue}.
 */
final class LoopbackHttpServer implements AutoCloseable {
  static final int MAX_REQUEST_LINE_BYTES = 64 * 1024;
  static final int MAX_HEADER_BYTES = 1024 * 1024;
  private static final int MAX_HEADERS = 500;
  private static final int MAX_CONNECTIONS = 256;
  private static final int IDLE_MILLIS = 30_000;
  private static final Set<String> OWN_HEADERS =
      Set.of("content-length", "transfer-encoding", "connection", "date");

  /** One request as read off the socket; header names lower-cased, in arrival order. */
  record Request(
      String method,
      String rawPath,
      String rawQuery,
      Map<String, List<String>> headers,
      byte[] body,
      InetAddress client) {}

  /** An answer: status, headers (name, value) in order, body. */
  record Response(int status, List<Map.Entry<String, String>> headers, byte[] body) {}

  interface Handler {
    Response handle(Request request);
  }

  /** A request refused on the wire, answered with {@code {"message": ...}} and a closed socket. */
  private static final class Refused extends Exception {
    final int status;

    Refused(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  private final ServerSocket socket;
  private final Handler handler;
  private final long maxBodyBytes;
  private final ExecutorService connections;
  private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();

  private LoopbackHttpServer(ServerSocket socket, Handler handler, long maxBodyBytes) {
    this.socket = socket;
    this.handler = handler;
    this.maxBodyBytes = maxBodyBytes;
    AtomicInteger threads = new AtomicInteger();
    this.connections =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "local-gateway-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Binds 127.0.0.1:{@code port} (0: a free one) and serves until closed.
   *
   * @throws java.net.BindException when the port is in use
   */
  static LoopbackHttpServer start(int port, long maxBodyBytes, Handler handler)
      throws IOException {
    ServerSocket socket = new ServerSocket();
    try {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    LoopbackHttpServer server = new LoopbackHttpServer(socket, handler, maxBodyBytes);
    Thread acceptor = new Thread(server::acceptLoop, "local-gateway-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    return server;
  }

  int port() {
    return socket.getLocalPort();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (Socket s : open) {
      closeQuietly(s);
    }
    connections.shutdownNow();
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      Socket s;
      try {
        s = socket.accept();
      } catch (IOException e) {
        continue; // closed, or one failed accept
      }
      if (!slots.tryAcquire()) {
        connections.execute(() -> refuse(s, new Refused(503, "Service Unavailable")));
        continue;
      }
      open.add(s);
      connections.execute(
          () -> {
            try {
              serve(s);
            } finally {
              open.remove(s);
              slots.release();
            }
          });
    }
  }

  private void refuse(Socket s, Refused refused) {
    try (s) {
      OutputStream out = new BufferedOutputStream(s.getOutputStream());
      write(out, "GET", gatewayError(refused.status, refused.getMessage()), true);
    } catch (IOException e) {
      // the client is gone
    }
  }

  private void serve(Socket s) {
    try (s) {
      s.setSoTimeout(IDLE_MILLIS);
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = new BufferedOutputStream(s.getOutputStream());
      while (true) {
        Request request;
        boolean close;
        try {
          String[] line = requestLine(in);
          if (line == null) {
            return; // the client closed between requests
          }
          Map<String, List<String>> headers = headers(in);
          close = wantsClose(line[2], headers);
          byte[] body = body(in, out, headers);
          String target = line[1];
          int q = target.indexOf('?');
          request =
              new Request(
                  line[0],
                  q < 0 ? target : target.substring(0, q),
                  q < 0 ? "" : target.substring(q + 1),
                  headers,
                  body,
                  s.getInetAddress());
        } catch (Refused refused) {
          write(out, "GET", gatewayError(refused.status, refused.getMessage()), true);
          return;
        }
        Response response;
        try {
          response = handler.handle(request);
        } catch (RuntimeException e) { // the handler's bug; the caller learns nothing of it
          System.err.println("local gateway: the request failed: " + e);
          response = gatewayError(500, "Internal Server Error");
        }
        write(out, request.method(), response, close);
        if (close) {
          return;
        }
      }
    } catch (IOException e) {
      // the client went away or stayed idle too long: nobody to answer
    }
  }

  /** {@code {"message": ...}}, as API Gateway answers what it refuses itself. */
  static Response gatewayError(int status, String message) {
    byte[] body =
        Json.write(Json.object().put("message", message)).getBytes(StandardCharsets.UTF_8);
    return new Response(status, List.of(Map.entry("Content-Type", "application/json")), body);
  }

  // Reading ---------------------------------------------------------------------------------------

  /** Method, target and version; null at a clean end of stream before a request. */
  private static String[] requestLine(InputStream in) throws IOException, Refused {
    String line;
    do {
      line = readLine(in, MAX_REQUEST_LINE_BYTES, 414, "URI Too Long");
      if (line == null) {
        return null;
      }
    } while (line.isEmpty()); // empty lines before a request are allowed (RFC 9112, 2.2)
    String[] parts = line.split(" ", -1);
    if (parts.length != 3 || !parts[0].matches("[A-Za-z]{1,32}")) {
      throw new Refused(400, "Bad Request: malformed request line");
    }
    if (!parts[2].equals("HTTP/1.1") && !parts[2].equals("HTTP/1.0")) {
      throw new Refused(505, "HTTP Version Not Supported: use HTTP/1.1");
    }
    String problem = targetProblem(parts[1]);
    if (problem != null) {
      throw new Refused(400, "Bad Request: " + problem);
    }
    // Methods are case-sensitive (RFC 9110, 9.1): "get" is not GET, and gets the 405 of a method
    // the routes do not have, as API Gateway matches routes by the exact method.
    return parts;
  }

  /** Why a request target is not an origin-form path and query; null when it is one. */
  static String targetProblem(String target) {
    if (!target.startsWith("/")) {
      return "the request target must be a path starting with /";
    }
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        return "the path or query has a character that must be percent-encoded";
      }
      if (c == '%'
          && (i + 2 >= target.length()
              || Character.digit(target.charAt(i + 1), 16) < 0
              || Character.digit(target.charAt(i + 2), 16) < 0)) {
        return "the path or query has a malformed percent-encoding (% must be followed by two"
            + " hex digits)";
      }
    }
    return null;
  }

  private static Map<String, List<String>> headers(InputStream in) throws IOException, Refused {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    int total = 0;
    int count = 0;
    while (true) {
      String line = readLine(in, MAX_HEADER_BYTES, 431, "Request Header Fields Too Large");
      if (line == null) {
        throw new Refused(400, "Bad Request: the request ended inside its headers");
      }
      if (line.isEmpty()) {
        return headers;
      }
      total += line.length();
      if (total > MAX_HEADER_BYTES || ++count > MAX_HEADERS) {
        throw new Refused(431, "Request Header Fields Too Large");
      }
      int colon = line.indexOf(':');
      String name = colon <= 0 ? "" : line.substring(0, colon);
      if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
        throw new Refused(400, "Bad Request: malformed header line");
      }
      String value = line.substring(colon + 1).trim();
      // A field value holds no control character but a tab (RFC 9110, 5.5).
      if (value.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
        throw new Refused(400, "Bad Request: header " + name + " has a control character");
      }
      headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
    }
  }

  private static boolean wantsClose(String version, Map<String, List<String>> headers) {
    String connection = String.join(",", headers.getOrDefault("connection", List.of()));
    connection = connection.toLowerCase(Locale.ROOT);
    return version.equals("HTTP/1.0")
        ? !connection.contains("keep-alive")
        : connection.contains("close");
  }

  private byte[] body(InputStream in, OutputStream out, Map<String, List<String>> headers)
      throws IOException, Refused {
    List<String> encodings = headers.get("transfer-encoding");
    List<String> lengths = headers.get("content-length");
    if (encodings != null) {
      if (lengths != null) {
        throw new Refused(400, "Bad Request: both Content-Length and Transfer-Encoding");
      }
      if (!String.join(",", encodings).trim().equalsIgnoreCase("chunked")) {
        throw new Refused(501, "Not Implemented: only the chunked transfer coding is understood");
      }
      continueIfExpected(out, headers);
      return chunked(in);
    }
    if (lengths == null) {
      return new byte[0];
    }
    long length = contentLength(lengths);
    if (length > maxBodyBytes) {
      throw new Refused(413, "Request Entity Too Large");
    }
    continueIfExpected(out, headers);
    byte[] body = in.readNBytes((int) length);
    if (body.length < length) {
      throw new IOException("the request body ended early");
    }
    return body;
  }

  private static long contentLength(List<String> values) throws Refused {
    String first = values.get(0);
    for (String v : values) {
      if (!v.equals(first) || !v.matches("[0-9]{1,18}")) {
        throw new Refused(400, "Bad Request: malformed Content-Length");
      }
    }
    return Long.parseLong(first);
  }

  private static void continueIfExpected(OutputStream out, Map<String, List<String>> headers)
      throws IOException {
    for (String expect : headers.getOrDefault("expect", List.of())) {
      if (expect.equalsIgnoreCase("100-continue")) {
        out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
    }
  }

  private byte[] chunked(InputStream in) throws IOException, Refused {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String line = readLine(in, 1024, 400, "Bad Request: malformed chunk size");
      if (line == null) {
        throw new IOException("the request body ended early");
      }
      int semicolon = line.indexOf(';');
      String size = (semicolon < 0 ? line : line.substring(0, semicolon)).trim();
      if (!size.matches("[0-9A-Fa-f]{1,8}")) {
        throw new Refused(400, "Bad Request: malformed chunk size");
      }
      long n = Long.parseLong(size, 16);
      if (n == 0) {
        break;
      }
      if (body.size() + n > maxBodyBytes) {
        throw new Refused(413, "Request Entity Too Large");
      }
      byte[] chunk = in.readNBytes((int) n);
      if (chunk.length < n || !"".equals(readLine(in, 2, 400, "Bad Request: malformed chunk"))) {
        throw new Refused(400, "Bad Request: malformed chunk");
      }
      body.write(chunk);
    }
    headers(in); // trailer fields, read past and ignored
    return body.toByteArray();
  }

  /**
   * One line without its CRLF (or bare LF), as ISO-8859-1; null at end of stream before any byte.
   */
  private static String readLine(InputStream in, int max, int tooLongStatus, String tooLong)
      throws IOException, Refused {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        if (n > max) {
          throw new Refused(tooLongStatus, tooLong);
        }
        return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
      }
      if (line.size() > max) { // max bytes and a CR before the LF may still come
        throw new Refused(tooLongStatus, tooLong);
      }
      line.write(b);
    }
    if (line.size() == 0) {
      return null;
    }
    throw new IOException("the connection closed inside a line");
  }

  // Writing ---------------------------------------------------------------------------------------

  private static void write(OutputStream out, String method, Response response, boolean close)
      throws IOException {
    int status = response.status();
    StringBuilder head = new StringBuilder(256);
    head.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
    for (Map.Entry<String, String> h : response.headers()) {
      String name = h.getKey();
      String value = h.getValue();
      if (OWN_HEADERS.contains(name.toLowerCase(Locale.ROOT))
          || value.indexOf('\r') >= 0
          || value.indexOf('\n') >= 0) {
        continue; // set below, or a value that would split the header
      }
      head.append(name).append(": ").append(value).append("\r\n");
    }
    head.append("Date: ")
        .append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)))
        .append("\r\n");
    boolean bodyless = status == 204 || status == 304 || status < 200;
    if (!bodyless) {
      head.append("Content-Length: ").append(response.body().length).append("\r\n");
    }
    if (close) {
      head.append("Connection: close\r\n");
    }
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.UTF_8));
    if (!bodyless && !method.equals("HEAD")) {
      out.write(response.body());
    }
    out.flush();
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 201 -> "Created";
      case 204 -> "No Content";
      case 301 -> "Moved Permanently";
      case 302 -> "Found";
      case 303 -> "See Other";
      case 304 -> "Not Modified";
      case 307 -> "Temporary Redirect";
      case 308 -> "Permanent Redirect";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 413 -> "Content Too Large";
      case 414 -> "URI Too Long";
      case 415 -> "Unsupported Media Type";
      case 422 -> "Unprocessable Content";
      case 429 -> "Too Many Requests";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      case 505 -> "HTTP Version Not Supported";
      default -> "";
    };
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
