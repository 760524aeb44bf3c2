package dev.botwebhooks.egress;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Makes one outbound call through the {@link EgressPolicy} (README "Outbound HTTP calls"): the
 * connection goes to the address the policy checked, TLS names the host (SNI) and verifies its
 * certificate for that name, redirects are followed only when asked (at most five, each checked
 * like the first), and request size, response size and time are capped. Nothing of the function
 * (its environment, its credentials) is added to the request; the {@code User-Agent} is fixed.
 * Every failure is an {@link EgressRefusedException} whose message names the rule, never an address
 * the host resolved to.
 */
public final class EgressClient {
  public static final int MAX_REDIRECTS = 5;
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  private final EgressPolicy policy;
  private final Connector connector;
  private final SSLSocketFactory tls;
  private final EgressSettings settings;
  private final Clock clock;

  public EgressClient(
      EgressPolicy policy,
      Connector connector,
      SSLSocketFactory tls,
      EgressSettings settings,
      Clock clock) {
    this.policy = policy;
    this.connector = connector;
    this.tls = tls;
    this.settings = settings;
    this.clock = clock;
  }

  /** The client of a deployment: the system resolver, direct connections, the JDK's trust store. */
  public static EgressClient standard(EgressSettings settings) {
    return new EgressClient(
        new EgressPolicy(Resolver.SYSTEM, settings.allowed()),
        Connector.DIRECT,
        (SSLSocketFactory) SSLSocketFactory.getDefault(),
        settings,
        Clock.systemUTC());
  }

  public EgressResponse send(EgressRequest request) throws EgressRefusedException {
    Target target = policy.check(request.url());
    for (int redirects = 0; ; redirects++) {
      EgressResponse response = once(request, target);
      String location = response.headers().get("location");
      boolean redirect = REDIRECTS.contains(response.status()) && location != null;
      if (!request.followRedirects() || !redirect) {
        return response;
      }
      if (redirects == MAX_REDIRECTS) {
        throw new EgressRefusedException("more than " + MAX_REDIRECTS + " redirects");
      }
      target = redirectTarget(target.uri(), location);
    }
  }

  private Target redirectTarget(URI from, String location) throws EgressRefusedException {
    URI next;
    try {
      next = from.resolve(new URI(location));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new EgressRefusedException("a redirect gave an invalid Location");
    }
    try {
      return policy.check(next);
    } catch (EgressRefusedException e) {
      throw new EgressRefusedException(
          "a redirect was refused: " + e.getMessage(), e.limit().orElse(null));
    }
  }

  private EgressResponse once(EgressRequest request, Target target) throws EgressRefusedException {
    byte[] bytes = HttpExchange.requestBytes(request, target);
    if (bytes.length > settings.maxRequestBytes()) {
      throw new EgressRefusedException(
          "the request is " + bytes.length + " bytes, over " + settings.maxRequestBytes(),
          EgressSettings.HTTP_MAX_REQUEST_BYTES);
    }
    Instant deadline = clock.instant().plus(settings.timeout());
    try (Socket socket = open(target, deadline)) {
      return HttpExchange.exchange(
          socket, bytes, request.method().equals("HEAD"), deadline, settings.maxResponseBytes());
    } catch (SocketTimeoutException e) {
      throw timeUp();
    } catch (IOException e) {
      if (!clock.instant().isBefore(deadline)) {
        throw timeUp();
      }
      if (e instanceof SSLException) {
        throw new EgressRefusedException(
            "the TLS handshake with " + target.host() + " failed (certificate or protocol)");
      }
      throw new EgressRefusedException(
          "the connection to " + target.host() + " failed or was refused");
    }
  }

  private EgressRefusedException timeUp() {
    return new EgressRefusedException(
        "the call took longer than " + settings.timeout().toMillis() + " ms",
        EgressSettings.HTTP_TIMEOUT_MS);
  }

  private Socket open(Target target, Instant deadline) throws IOException {
    Socket raw = connector.connect(target.address(), target.port(), settings.timeout());
    if (!target.tls()) {
      return raw;
    }
    // A read timeout bounds each read of the handshake, not the handshake: a server that sends
    // it a byte at a time would hold the call past its time limit. The connection is closed at
    // the deadline unless the handshake is done by then (on the JDK's delay thread: a close is
    // quick, and a cancelled close does nothing).
    long left = Math.max(1, Duration.between(clock.instant(), deadline).toMillis());
    CompletableFuture<Void> closeAtDeadline =
        CompletableFuture.runAsync(
            () -> closeQuietly(raw),
            CompletableFuture.delayedExecutor(left, TimeUnit.MILLISECONDS, Runnable::run));
    try {
      SSLSocket socket = (SSLSocket) tls.createSocket(raw, target.host(), target.port(), true);
      SSLParameters params = socket.getSSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS");
      if (!target.host().contains(":") && !Character.isDigit(lastChar(target.host()))) {
        params.setServerNames(List.of(new SNIHostName(target.host())));
      }
      socket.setSSLParameters(params);
      socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
      socket.startHandshake();
      return socket;
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    } finally {
      closeAtDeadline.cancel(false);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing only ends a handshake that outran its deadline; there is nothing to tell.
    }
  }

  private static char lastChar(String s) {
    return s.charAt(s.length() - 1);
  }
}
