package dev.botwebhooks.egress;

import dev.botwebhooks.http.ContentType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP/1.1 request and its response over a connection already open to a checked address.
 * {@code java.net}'s clients look the host up themselves, which would undo the policy's check, so
 * the message is written and read here: {@code Connection: close}, a body framed by
 * {@code Content-Length}, chunks or the end of the stream, and every read bounded by the call's
 * deadline and the response cap.
 */
final class HttpExchange {
  static final String USER_AGENT = "bot-webhooks/1.0 (+outbound call of a bot command)";

  /** Headers the client sets itself; a script's own are dropped. */
  private static final Set<String> FIXED =
      Set.of(
          "host", "content-length", "transfer-encoding", "connection", "user-agent", "te",
          "upgrade", "keep-alive", "expect", "proxy-authorization", "proxy-connection", "trailer");

  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final int MAX_LINE = 8192;
  private static final int MAX_HEADER_BYTES = 65536;

  private HttpExchange() {}

  /** The request's bytes: what counts against {@code HTTP_MAX_REQUEST_BYTES}. */
  static byte[] requestBytes(EgressRequest request, Target target) throws EgressRefusedException {
    if (!TOKEN.matcher(request.method()).matches()) {
      throw new EgressRefusedException("the method is not a valid HTTP method");
    }
    StringBuilder head = new StringBuilder();
    head.append(request.method()).append(' ').append(target.pathAndQuery()).append(" HTTP/1.1\r\n");
    head.append("Host: ").append(target.hostHeader()).append("\r\n");
    head.append("User-Agent: ").append(USER_AGENT).append("\r\n");
    head.append("Connection: close\r\n");
    for (Map.Entry<String, String> h : request.headers().entrySet()) {
      String name = h.getKey();
      String value = h.getValue();
      if (!TOKEN.matcher(name).matches() || value.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
        throw new EgressRefusedException("the header '" + printable(name) + "' is not valid");
      }
      if (!FIXED.contains(name.toLowerCase(Locale.ROOT))) {
        head.append(name).append(": ").append(value).append("\r\n");
      }
    }
    byte[] body = request.body() == null ? new byte[0] : request.body();
    if (request.body() != null || !request.method().equals("GET")) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, all, 0, headBytes.length);
    System.arraycopy(body, 0, all, headBytes.length, body.length);
    return all;
  }

  /** Sends the request and reads the response, all before {@code deadline}. */
  static EgressResponse exchange(
      Socket socket, byte[] request, boolean head, Instant deadline, int maxResponseBytes)
      throws IOException, EgressRefusedException {
    OutputStream out = socket.getOutputStream();
    out.write(request);
    out.flush();
    InputStream in = new DeadlineInput(socket, deadline);
    while (true) {
      String statusLine = line(in);
      Matcher m = Pattern.compile("HTTP/1\\.[01] ([0-9]{3})( .*)?").matcher(statusLine);
      if (!m.matches()) {
        throw new EgressRefusedException("the server did not answer with HTTP/1.x");
      }
      int status = Integer.parseInt(m.group(1));
      Map<String, List<String>> headers = headers(in);
      if (status >= 100 && status < 200) {
        continue; // 100 Continue and other interim answers
      }
      byte[] body =
          head || status == 204 || status == 304
              ? new byte[0]
              : body(in, headers, maxResponseBytes);
      return response(status, headers, body);
    }
  }

  private static EgressResponse response(
      int status, Map<String, List<String>> headers, byte[] body) {
    Map<String, String> joined = new LinkedHashMap<>();
    headers.forEach((k, v) -> joined.put(k, String.join(", ", v)));
    List<String> cookies = new ArrayList<>();
    for (String setCookie : headers.getOrDefault("set-cookie", List.of())) {
      int semi = setCookie.indexOf(';');
      cookies.add((semi < 0 ? setCookie : setCookie.substring(0, semi)).trim());
    }
    return new EgressResponse(
        status, joined, body, ContentType.charsetOf(joined.get("content-type")), String.join("; ", cookies));
  }

  private static Map<String, List<String>> headers(InputStream in)
      throws IOException, EgressRefusedException {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    int total = 0;
    for (String line = line(in); !line.isEmpty(); line = line(in)) {
      total += line.length();
      if (total > MAX_HEADER_BYTES) {
        throw new EgressRefusedException("the response headers are over " + MAX_HEADER_BYTES);
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      headers.computeIfAbsent(name, k -> new ArrayList<>()).add(line.substring(colon + 1).trim());
    }
    return headers;
  }

  private static byte[] body(InputStream in, Map<String, List<String>> headers, int max)
      throws IOException, EgressRefusedException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String encoding = String.join(",", headers.getOrDefault("transfer-encoding", List.of()));
    if (encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
      for (long size = chunkSize(line(in)); size > 0; size = chunkSize(line(in))) {
        copy(in, body, size, max);
        line(in);
      }
      while (!line(in).isEmpty()) {
        // trailers, ignored
      }
      return body.toByteArray();
    }
    List<String> length = headers.get("content-length");
    if (length != null) {
      copy(in, body, contentLength(length), max);
      return body.toByteArray();
    }
    copy(in, body, Long.MAX_VALUE, max);
    return body.toByteArray();
  }

  /**
   * The one length that every {@code Content-Length} value names (RFC 9112 section 6.3: several
   * values that differ, or one that is not a non-negative number, make the response invalid).
   */
  private static long contentLength(List<String> values) throws EgressRefusedException {
    long length = -1;
    for (String value : values) {
      for (String item : value.split(",", -1)) {
        long n;
        try {
          n = Long.parseLong(item.trim());
        } catch (NumberFormatException e) {
          n = -1;
        }
        if (n < 0 || (length >= 0 && n != length)) {
          throw new EgressRefusedException("the response has an invalid Content-Length");
        }
        length = n;
      }
    }
    return length;
  }

  private static long chunkSize(String line) throws EgressRefusedException {
    int semi = line.indexOf(';');
    String hex = (semi < 0 ? line : line.substring(0, semi)).trim();
    try {
      long size = Long.parseLong(hex, 16);
      if (size < 0) {
        throw new NumberFormatException();
      }
      return size;
    } catch (NumberFormatException e) {
      throw new EgressRefusedException("the response has an invalid chunk");
    }
  }

  /** Copies up to {@code n} bytes (until the end for {@code Long.MAX_VALUE}), within the cap. */
  private static void copy(InputStream in, ByteArrayOutputStream out, long n, int max)
      throws IOException, EgressRefusedException {
    byte[] buffer = new byte[8192];
    long left = n;
    while (left > 0) {
      int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (read < 0) {
        if (n == Long.MAX_VALUE) {
          return;
        }
        throw new EgressRefusedException("the response ended before its body was complete");
      }
      if (out.size() + read > max) {
        throw new EgressRefusedException(
            "the response body is over " + max + " bytes", EgressSettings.HTTP_MAX_RESPONSE_BYTES);
      }
      out.write(buffer, 0, read);
      left -= read;
    }
  }

  private static String line(InputStream in) throws IOException, EgressRefusedException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new EgressRefusedException("the connection closed before the response was complete");
      }
      if (line.size() >= MAX_LINE) {
        throw new EgressRefusedException("a response line is over " + MAX_LINE + " bytes");
      }
      line.write(b);
    }
    String text = line.toString(StandardCharsets.ISO_8859_1);
    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
  }

  private static String printable(String text) {
    String cut = text.length() > 40 ? text.substring(0, 40) : text;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }

  /** Reads that stop at the deadline: each waits only for the time left. */
  private static final class DeadlineInput extends InputStream {
    private final Socket socket;
    private final InputStream in;
    private final Instant deadline;

    DeadlineInput(Socket socket, Instant deadline) throws IOException {
      this.socket = socket;
      this.in = new java.io.BufferedInputStream(socket.getInputStream());
      this.deadline = deadline;
    }

    @Override
    public int read() throws IOException {
      arm();
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      arm();
      return in.read(b, off, len);
    }

    private void arm() throws IOException {
      long left = java.time.Duration.between(Instant.now(), deadline).toMillis();
      if (left <= 0) {
        throw new SocketTimeoutException("deadline");
      }
      socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
    }
  }
}
