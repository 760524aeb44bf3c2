package dev.botwebhooks.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The local server's wire, over real sockets: what it refuses itself is a JSON {@code message}
 * (never the JDK server's HTML), and well-formed requests arrive whole, on kept-alive connections.
 */
class LoopbackHttpServerTest {
  private final List<LoopbackHttpServer.Request> seen = new CopyOnWriteArrayList<>();
  private LoopbackHttpServer server;

  @BeforeEach
  void start() throws IOException {
    server =
        LoopbackHttpServer.start(
            0,
            1024,
            request -> {
              seen.add(request);
              return new LoopbackHttpServer.Response(
                  200,
                  List.of(Map.entry("Content-Type", "text/plain")),
                  ("got " + request.body().length).getBytes(StandardCharsets.UTF_8));
            });
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Writes the bytes, reads until the server closes, and returns what it said. */
  private String exchange(String request) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      return all.toString(StandardCharsets.ISO_8859_1);
    }
  }

  private static int status(String answer) {
    return Integer.parseInt(answer.substring(9, 12));
  }

  private static JsonNode body(String answer) throws IOException {
    return Json.MAPPER.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
  }

  @Test
  void badPercentEncoding_inPathOrQuery_isJson400NamingTheProblem() throws IOException {
    for (String target : List.of("/hooks/%zz", "/hooks/abc%", "/hooks/abc?a=%e", "/bots/%g1/x")) {
      String answer = exchange("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");

      assertThat(status(answer)).as(target).isEqualTo(400);
      assertThat(answer).as(target).contains("Content-Type: application/json");
      assertThat(body(answer).path("message").asText())
          .as(target)
          .contains("malformed percent-encoding");
      assertThat(answer).doesNotContain("Exception", "<h1>");
    }
    assertThat(seen).isEmpty();
  }

  @Test
  void otherMalformedRequests_areJson4xx() throws IOException {
    Map<String, Integer> cases =
        Map.of(
            "GET /a b HTTP/1.1\r\n\r\n", 400,
            "GET http://x/ HTTP/1.1\r\n\r\n", 400,
            "GET / HTTP/2.0\r\n\r\n", 505,
            "GET / HTTP/1.1\r\nno colon here\r\n\r\n", 400,
            "GET / HTTP/1.1\r\nX-A: a\u0001b\r\n\r\n", 400,
            "POST / HTTP/1.1\r\nContent-Length: 5000\r\n\r\n", 413,
            "POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n", 400,
            "POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400,
            "GET /" + "a".repeat(LoopbackHttpServer.MAX_REQUEST_LINE_BYTES) + " HTTP/1.1\r\n\r\n",
            414);
    for (Map.Entry<String, Integer> c : cases.entrySet()) {
      String what = c.getKey().substring(0, Math.min(40, c.getKey().length()));
      String answer = exchange(c.getKey());

      assertThat(status(answer)).as(what).isEqualTo(c.getValue());
      assertThat(body(answer).path("message").asText()).as(what).isNotBlank();
    }
    assertThat(seen).isEmpty();
  }

  /** "Over 64 KiB" is refused: a request line of exactly 64 KiB is served. */
  @Test
  void requestLineOfExactlyTheLimit_isServed() throws IOException {
    int path = LoopbackHttpServer.MAX_REQUEST_LINE_BYTES - "GET / HTTP/1.1".length();
    String answer =
        exchange("GET /" + "a".repeat(path) + " HTTP/1.1\r\nConnection: close\r\n\r\n");
    assertThat(status(answer)).isEqualTo(200);
    assertThat(seen).hasSize(1);
  }

  @Test
  void keptAliveConnection_servesRequestsInTurn_withChunkedAndContinuedBodies()
      throws IOException {
    String answer =
        exchange(
            "GET /hooks/a%20b?x=%C3%A9 HTTP/1.1\r\nHost: x\r\nX-Two: 1\r\nx-two: 2\r\n\r\n"
                + "POST /hooks/a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n"
                + "POST /hooks/a HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n"
                + "Connection: close\r\n\r\nwxyz");

    assertThat(answer).contains("HTTP/1.1 100 Continue");
    assertThat(answer.split("HTTP/1.1 200 OK", -1)).hasSize(4);
    assertThat(answer).contains("got 0", "got 5", "got 4").contains("Connection: close");
    assertThat(seen).hasSize(3);
    assertThat(seen.get(0).rawPath()).isEqualTo("/hooks/a%20b");
    assertThat(seen.get(0).rawQuery()).isEqualTo("x=%C3%A9");
    assertThat(seen.get(0).headers().get("x-two")).containsExactly("1", "2");
    assertThat(new String(seen.get(1).body(), StandardCharsets.UTF_8)).isEqualTo("abcde");
    assertThat(new String(seen.get(2).body(), StandardCharsets.UTF_8)).isEqualTo("wxyz");
    assertThat(seen.get(2).client().isLoopbackAddress()).isTrue();
  }

  /** Methods are case-sensitive: "get" reaches the routes as "get", not as GET. */
  @Test
  void methods_arePassedAsWritten() throws IOException {
    exchange("get /x HTTP/1.1\r\nConnection: close\r\n\r\n");
    assertThat(seen).extracting(LoopbackHttpServer.Request::method).containsExactly("get");
  }

  @Test
  void head_answersTheLengthWithoutTheBody() throws IOException {
    String answer = exchange("HEAD /x HTTP/1.1\r\nConnection: close\r\n\r\n");

    assertThat(answer).contains("Content-Length: 5").endsWith("\r\n\r\n");
  }
}
