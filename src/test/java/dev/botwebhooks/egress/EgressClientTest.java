package dev.botwebhooks.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client against a real server on 127.0.0.1, reached only through the allow list; where a
 * refusal has to be shown after a lookup, a connector records the address instead of connecting.
 */
class EgressClientTest {
  private TestServer server;
  private final List<InetAddress> connectedTo = new ArrayList<>();

  /** Connects only to loopback; records every address it is asked for. */
  private final Connector loopbackOnly =
      (address, port, timeout) -> {
        connectedTo.add(address);
        if (!address.isLoopbackAddress()) {
          throw new IOException("recorded, not connected");
        }
        return Connector.DIRECT.connect(address, port, timeout);
      };

  @BeforeEach
  void start() throws IOException {
    server = new TestServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private EgressClient client(EgressSettings settings, Resolver resolver) {
    Set<String> allowed = settings.allowed().isEmpty() ? Set.of(server.hostPort()) : settings.allowed();
    return new EgressClient(
        new EgressPolicy(resolver, allowed),
        loopbackOnly,
        (SSLSocketFactory) SSLSocketFactory.getDefault(),
        settings.withAllowed(allowed),
        Clock.systemUTC());
  }

  private EgressClient client() {
    return client(EgressSettings.defaults(), host -> {
      throw new java.net.UnknownHostException(host);
    });
  }

  private static EgressRequest get(String url, boolean follow) {
    return new EgressRequest("GET", url, Map.of(), null, follow);
  }

  @Test
  void getReturnsStatusHeadersBodyAndCookies() throws Exception {
    server.on(
        "/page",
        ex -> {
          ex.getResponseHeaders().add("Set-Cookie", "sid=abc; Path=/; HttpOnly");
          ex.getResponseHeaders().add("Set-Cookie", "theme=dark");
          ex.getResponseHeaders().add("X-Thing", "1");
          TestServer.answer(ex, 200, "text/plain; charset=utf-8", "héllo");
        });
    EgressResponse r = client().send(get(server.url("/page?a=1&b=2"), false));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("héllo");
    assertThat(r.headers()).containsEntry("x-thing", "1");
    assertThat(r.cookies()).isEqualTo("sid=abc; theme=dark");
    TestServer.Received got = server.received.get(0);
    assertThat(got.method()).isEqualTo("GET");
    assertThat(got.uri()).isEqualTo("/page?a=1&b=2");
    assertThat(got.header("host")).isEqualTo(server.hostPort());
    assertThat(got.header("user-agent")).isEqualTo(HttpExchange.USER_AGENT);
  }

  @Test
  void postSendsTheBodyAndTheScriptsHeadersButNotItsFixedOnes() throws Exception {
    server.on("/orders", ex -> TestServer.answer(ex, 201, "application/json", "{\"id\":7}"));
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("X-Api-Key", "k1");
    headers.put("User-Agent", "evil");
    headers.put("Host", "169.254.169.254");
    EgressResponse r =
        client()
            .send(
                new EgressRequest(
                    "POST", server.url("/orders"), headers,
                    "{\"qty\":1}".getBytes(StandardCharsets.UTF_8), false));
    assertThat(r.status()).isEqualTo(201);
    assertThat(r.body()).isEqualTo("{\"id\":7}");
    TestServer.Received got = server.received.get(0);
    assertThat(got.body()).isEqualTo("{\"qty\":1}");
    assertThat(got.header("x-api-key")).isEqualTo("k1");
    assertThat(got.header("user-agent")).isEqualTo(HttpExchange.USER_AGENT);
    assertThat(got.header("host")).isEqualTo(server.hostPort());
  }

  @Test
  void headersWithLineBreaksAreRefused() {
    assertThatThrownBy(
            () ->
                client()
                    .send(
                        new EgressRequest(
                            "GET", server.url("/"), Map.of("X-A", "1\r\nX-Injected: 1"), null,
                            false)))
        .isInstanceOf(EgressRefusedException.class)
        .hasMessageContaining("not valid");
    assertThat(server.received).isEmpty();
  }

  @Test
  void redirectsAreReturnedUnlessAskedForAndFollowedAtMostFive() throws Exception {
    AtomicInteger hops = new AtomicInteger();
    server.on(
        "/hop",
        ex -> {
          ex.getResponseHeaders().add("Location", "/hop?n=" + hops.incrementAndGet());
          TestServer.answer(ex, 302, null, "");
        });
    server.on("/final", ex -> TestServer.answer(ex, 200, "text/plain", "done"));
    server.on(
        "/once",
        ex -> {
          ex.getResponseHeaders().add("Location", server.url("/final"));
          TestServer.answer(ex, 307, null, "");
        });
    assertThat(client().send(get(server.url("/once"), false)).status()).isEqualTo(307);
    assertThat(client().send(get(server.url("/once"), true)).body()).isEqualTo("done");
    assertThatThrownBy(() -> client().send(get(server.url("/hop"), true)))
        .hasMessageContaining("more than 5 redirects");
    assertThat(hops.get()).isEqualTo(6);
  }

  @Test
  void redirectsInwardAreRefusedBeforeAnyConnection() throws Exception {
    for (String location :
        List.of(
            "http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:1/",
            "http://[::1]:" + server.port() + "/", "http://localhost/", "http://0x7f000001/",
            "http://internal.example/", "file:///etc/passwd")) {
      server.on(
          "/r" + location.hashCode(),
          ex -> {
            ex.getResponseHeaders().add("Location", location);
            TestServer.answer(ex, 301, null, "");
          });
      connectedTo.clear();
      EgressClient client =
          client(EgressSettings.defaults(), host -> List.of(InetAddress.getByName("10.1.2.3")));
      assertThatThrownBy(() -> client.send(get(server.url("/r" + location.hashCode()), true)))
          .isInstanceOf(EgressRefusedException.class)
          .hasMessageStartingWith("a redirect was refused")
          .message()
          .doesNotContain("10.1.2.3");
      assertThat(connectedTo).hasSize(1); // the first hop only
    }
  }

  @Test
  void aResolverThatAnswersDifferentlyTheSecondTimeIsAskedOnce() {
    AtomicInteger lookups = new AtomicInteger();
    Resolver rebinding =
        host ->
            List.of(
                InetAddress.getByName(
                    lookups.getAndIncrement() == 0 ? "93.184.215.14" : "127.0.0.1"));
    EgressClient client = client(EgressSettings.defaults(), rebinding);
    assertThatThrownBy(() -> client.send(get("http://rebind.example/", false)))
        .isInstanceOf(EgressRefusedException.class);
    assertThat(lookups.get()).isEqualTo(1);
    assertThat(connectedTo).extracting(InetAddress::getHostAddress).containsExactly("93.184.215.14");
  }

  @Test
  void aResponseOverTheCapIsRefusedNamingTheLimit() {
    server.on("/big", ex -> TestServer.answer(ex, 200, "text/plain", "x".repeat(5000)));
    server.on(
        "/bigchunked",
        ex -> {
          ex.sendResponseHeaders(200, 0);
          for (int i = 0; i < 50; i++) {
            ex.getResponseBody().write("y".repeat(100).getBytes(StandardCharsets.UTF_8));
          }
          ex.close();
        });
    EgressSettings small =
        new EgressSettings(Set.of(server.hostPort()), Duration.ofSeconds(5), 65536, 1000, 5, 60);
    for (String path : List.of("/big", "/bigchunked")) {
      assertThatThrownBy(() -> client(small, h -> List.of()).send(get(server.url(path), false)))
          .isInstanceOfSatisfying(
              EgressRefusedException.class,
              e -> assertThat(e.limit()).contains(EgressSettings.HTTP_MAX_RESPONSE_BYTES));
    }
  }

  @Test
  void aChunkedResponseWithinTheCapIsRead() throws Exception {
    server.on(
        "/chunked",
        ex -> {
          ex.sendResponseHeaders(200, 0);
          ex.getResponseBody().write("part1-".getBytes(StandardCharsets.UTF_8));
          ex.getResponseBody().flush();
          ex.getResponseBody().write("part2".getBytes(StandardCharsets.UTF_8));
          ex.close();
        });
    assertThat(client().send(get(server.url("/chunked"), false)).body()).isEqualTo("part1-part2");
  }

  @Test
  void aRequestOverTheCapIsRefusedBeforeConnecting() {
    EgressSettings small =
        new EgressSettings(Set.of(server.hostPort()), Duration.ofSeconds(5), 500, 1000, 5, 60);
    assertThatThrownBy(
            () ->
                client(small, h -> List.of())
                    .send(
                        new EgressRequest(
                            "POST", server.url("/"), Map.of(), new byte[600], false)))
        .isInstanceOfSatisfying(
            EgressRefusedException.class,
            e -> assertThat(e.limit()).contains(EgressSettings.HTTP_MAX_REQUEST_BYTES));
    assertThat(connectedTo).isEmpty();
  }

  @Test
  void aSlowServerIsCutOffNamingTheTimeLimit() {
    server.on(
        "/slow",
        ex -> {
          try {
            Thread.sleep(3000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          TestServer.answer(ex, 200, "text/plain", "late");
        });
    EgressSettings quick =
        new EgressSettings(Set.of(server.hostPort()), Duration.ofMillis(300), 65536, 1000, 5, 60);
    assertThatThrownBy(() -> client(quick, h -> List.of()).send(get(server.url("/slow"), false)))
        .isInstanceOfSatisfying(
            EgressRefusedException.class,
            e -> assertThat(e.limit()).contains(EgressSettings.HTTP_TIMEOUT_MS));
  }

  /**
   * A lookup that never answers (a resolver whose name servers drop the query) ends the call at
   * its time limit, naming it, and nothing is connected to.
   */
  @Test
  void aLookupThatNeverAnswersIsCutOffAtTheTimeLimit() {
    CountDownLatch never = new CountDownLatch(1);
    Resolver hanging =
        host -> {
          try {
            never.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          throw new java.net.UnknownHostException(host);
        };
    EgressSettings quick =
        new EgressSettings(Set.of(), Duration.ofMillis(300), 65536, 1000, 5, 60);
    EgressClient client = client(quick, hanging.within(quick.timeout()));
    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () ->
            assertThatThrownBy(() -> client.send(get("https://silent-dns.example/pay", false)))
                .isInstanceOfSatisfying(
                    EgressRefusedException.class,
                    e -> {
                      assertThat(e.limit()).contains(EgressSettings.HTTP_TIMEOUT_MS);
                      assertThat(e.getMessage())
                          .isEqualTo(
                              "looking up the host silent-dns.example took longer than the"
                                  + " call's time limit");
                    }));
    assertThat(connectedTo).isEmpty();
  }

  /** A lookup that answers, but slower than the call's time limit, leaves no time to connect. */
  @Test
  void aLookupThatUsesTheWholeTimeLimitLeavesNoTimeToConnect() {
    Duration limit = Duration.ofMillis(300);
    Clock clock = Clock.systemUTC();
    Resolver slowButAnswering =
        host -> {
          Instant until = clock.instant().plus(limit).plusMillis(20);
          while (clock.instant().isBefore(until)) {
            Thread.onSpinWait();
          }
          return List.of(InetAddress.getByName("93.184.215.14"));
        };
    EgressSettings quick = new EgressSettings(Set.of(), limit, 65536, 1000, 5, 60);
    assertThatThrownBy(() -> client(quick, slowButAnswering).send(get("http://slow-dns.example/", false)))
        .isInstanceOfSatisfying(
            EgressRefusedException.class,
            e -> assertThat(e.limit()).contains(EgressSettings.HTTP_TIMEOUT_MS));
    assertThat(connectedTo).isEmpty();
  }

  /** A bounded lookup passes on the resolver's answer and its refusal. */
  @Test
  void aBoundedLookupAnswersAsItsResolver() throws Exception {
    Resolver known =
        host -> {
          if (host.equals("known.example")) {
            return List.of(InetAddress.getByName("93.184.215.14"));
          }
          throw new java.net.UnknownHostException(host);
        };
    Resolver bounded = known.within(Duration.ofSeconds(5));
    assertThat(bounded.resolve("known.example"))
        .extracting(InetAddress::getHostAddress)
        .containsExactly("93.184.215.14");
    assertThatThrownBy(() -> bounded.resolve("unknown.example"))
        .isExactlyInstanceOf(java.net.UnknownHostException.class);
  }

  /**
   * A server that sends its TLS handshake a byte at a time, each within the read timeout, is cut
   * off at the call's time limit, not when it is done: the time limit is the whole call's.
   */
  @Test
  void aTlsHandshakeSentAByteAtATimeIsCutOffAtTheTimeLimit() throws Exception {
    try (ServerSocket drip = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread feeder =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    try (Socket s = drip.accept(); OutputStream out = s.getOutputStream()) {
                      // A handshake record of 16 KiB, whose bytes come 50 ms apart.
                      out.write(new byte[] {0x16, 0x03, 0x03, 0x40, 0x00});
                      for (int i = 0; i < 0x4000; i++) {
                        out.write(0);
                        out.flush();
                        Thread.sleep(50);
                      }
                    } catch (IOException | InterruptedException e) {
                      // The client hung up, as it should.
                    }
                  });
      String hostPort = "127.0.0.1:" + drip.getLocalPort();
      EgressSettings quick =
          new EgressSettings(Set.of(hostPort), Duration.ofMillis(500), 65536, 1000, 5, 60);
      EgressClient client = client(quick, h -> List.of());

      // Preemptive only so that a failure ends the test (the drip would last 14 minutes).
      assertTimeoutPreemptively(
          Duration.ofSeconds(30),
          () ->
              assertThatThrownBy(() -> client.send(get("https://" + hostPort + "/", false)))
                  .isInstanceOfSatisfying(
                      EgressRefusedException.class,
                      e -> {
                        assertThat(e.limit()).contains(EgressSettings.HTTP_TIMEOUT_MS);
                        assertThat(e.getMessage()).contains("longer than 500 ms");
                      }));
      feeder.interrupt();
    }
  }

  /**
   * A server that does not read the request holds its writing, which no read timeout bounds: the
   * call ends at its time limit all the same.
   */
  @Test
  void aServerThatDoesNotReadTheRequestIsCutOffAtTheTimeLimit() throws Exception {
    try (ServerSocket deaf = new ServerSocket()) {
      deaf.setReceiveBufferSize(1024);
      deaf.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
      List<Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread.ofPlatform()
          .daemon()
          .start(
              () -> {
                try {
                  accepted.add(deaf.accept()); // and never read from
                } catch (IOException e) {
                  // closed at the end of the test
                }
              });
      String hostPort = "127.0.0.1:" + deaf.getLocalPort();
      EgressSettings quick =
          new EgressSettings(Set.of(hostPort), Duration.ofMillis(500), 16 << 20, 1000, 5, 60);
      EgressClient client = client(quick, h -> List.of());
      byte[] body = new byte[8 << 20];

      assertTimeoutPreemptively(
          Duration.ofSeconds(30),
          () ->
              assertThatThrownBy(
                      () ->
                          client.send(
                              new EgressRequest("POST", "http://" + hostPort + "/", Map.of(), body, false)))
                  .isInstanceOfSatisfying(
                      EgressRefusedException.class,
                      e -> assertThat(e.limit()).contains(EgressSettings.HTTP_TIMEOUT_MS)));
      for (Socket s : accepted) {
        s.close();
      }
    }
  }

  /** RFC 9112 section 6.3: a negative length, or lengths that differ, make the response invalid. */
  @Test
  void aResponseWithANegativeOrConflictingContentLengthIsRefused() throws Exception {
    for (String lengths :
        List.of("Content-Length: -1\r\n", "Content-Length: 2\r\nContent-Length: 10\r\n",
            "Content-Length: 2, 10\r\n")) {
      try (ServerSocket raw = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  try (Socket s = raw.accept()) {
                    s.getInputStream().read(new byte[4096]);
                    s.getOutputStream()
                        .write(
                            ("HTTP/1.1 200 OK\r\n" + lengths + "\r\n0123456789")
                                .getBytes(StandardCharsets.US_ASCII));
                  } catch (IOException e) {
                    // the client hung up
                  }
                });
        String hostPort = "127.0.0.1:" + raw.getLocalPort();
        EgressSettings settings =
            new EgressSettings(Set.of(hostPort), Duration.ofSeconds(5), 65536, 1000, 5, 60);

        assertThatThrownBy(
                () -> client(settings, h -> List.of()).send(get("http://" + hostPort + "/", false)))
            .as(lengths)
            .isInstanceOf(EgressRefusedException.class)
            .hasMessageContaining("invalid Content-Length");
      }
    }
  }

  /**
   * A name written with its trailing dot is the same name: over TLS it is named without it (SNI
   * refuses the dot), and a call to it fails as a call, not as a crash of the function.
   */
  @Test
  void aTlsCallToANameWithItsTrailingDotFailsAsACall() throws Exception {
    try (ServerSocket plain = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread.ofPlatform()
          .daemon()
          .start(
              () -> {
                try (Socket s = plain.accept()) {
                  s.getOutputStream().write("not TLS\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                  // the client hung up
                }
              });
      String hostPort = "shop.test.:" + plain.getLocalPort();
      EgressSettings settings =
          new EgressSettings(Set.of(hostPort), Duration.ofSeconds(5), 65536, 1000, 5, 60);
      EgressClient client =
          client(settings, h -> List.of(InetAddress.getLoopbackAddress()));

      assertThatThrownBy(() -> client.send(get("https://" + hostPort + "/", false)))
          .isInstanceOf(EgressRefusedException.class)
          .hasMessageContaining("shop.test.");
    }
  }
}
