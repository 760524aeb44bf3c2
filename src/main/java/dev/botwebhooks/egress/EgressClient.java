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
import java.util.concurrent.atomic.AtomicBoolean;
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
        new EgressPolicy(Resolver.SYSTEM.within(settings.timeout()), settings.allowed()),
        Connector.DIRECT,
        (SSLSocketFactory) SSLSocketFactory.getDefault(),
        settings,
        Clock.systemUTC());
  }

  public EgressResponse send(EgressRequest request) throws EgressRefusedException {
    // Each request's time limit runs from before its host is looked up.
    Instant deadline = clock.instant().plus(settings.timeout());
    Target target = policy.check(request.url());
    for (int redirects = 0; ; redirects++) {
      EgressResponse response = once(request, target, deadline);
      String location = response.headers().get("location");
      boolean redirect = REDIRECTS.contains(response.status()) && location != null;
      if (!request.followRedirects() || !redirect) {
        return response;
      }
      if (redirects == MAX_REDIRECTS) {
        throw new EgressRefusedException("more than " + MAX_REDIRECTS + " redirects");
      }
      deadline = clock.instant().plus(settings.timeout());
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

  private EgressResponse once(EgressRequest request, Target target, Instant deadline)
      throws EgressRefusedException {
    byte[] bytes = HttpExchange.requestBytes(request, target);
    if (bytes.length > settings.maxRequestBytes()) {
      throw new EgressRefusedException(
          "the request is " + bytes.length + " bytes, over " + settings.maxRequestBytes(),
          EgressSettings.HTTP_MAX_REQUEST_BYTES);
    }
    Duration leftToConnect = Duration.between(clock.instant(), deadline);
    if (leftToConnect.toMillis() < 1) {
      throw timeUp();
    }
    Socket raw;
    try {
      raw = connector.connect(target.address(), target.port(), leftToConnect);
    } catch (IOException e) {
      throw failed(target, deadline, e);
    }
    // A read timeout bounds each read, not the call: a server that sends its handshake or its
    // answer a byte at a time, or reads the request that slowly, would hold the call past its
    // time limit. The connection is closed at the deadline unless the call is over by then (on
    // the JDK's delay thread: a close is quick, and a cancelled close does nothing).
    long left = Math.max(1, Duration.between(clock.instant(), deadline).toMillis());
    AtomicBoolean closedAtDeadline = new AtomicBoolean();
    CompletableFuture<Void> closeAtDeadline =
        CompletableFuture.runAsync(
            () -> {
              closedAtDeadline.set(true);
              closeQuietly(raw);
            },
            CompletableFuture.delayedExecutor(left, TimeUnit.MILLISECONDS, Runnable::run));
    try (Socket socket = target.tls() ? handshake(raw, target, left) : raw) {
      return HttpExchange.exchange(
          socket, bytes, request.method().equals("HEAD"), deadline, settings.maxResponseBytes());
    } catch (IOException | IllegalArgumentException e) {
      // IllegalArgumentException: a host name the JDK's TLS does not take (SNI's rules).
      throw closedAtDeadline.get() ? timeUp() : failed(target, deadline, e);
    } finally {
      closeAtDeadline.cancel(false);
      closeQuietly(raw);
    }
  }

  /** Why a call failed: its time limit once the deadline has passed, else the TLS or connection. */
  private EgressRefusedException failed(Target target, Instant deadline, Exception e) {
    if (e instanceof SocketTimeoutException || !clock.instant().isBefore(deadline)) {
      return timeUp();
    }
    if (e instanceof SSLException) {
      return new EgressRefusedException(
          "the TLS handshake with " + target.host() + " failed (certificate or protocol)");
    }
    return new EgressRefusedException(
        "the connection to " + target.host() + " failed or was refused");
  }

  private EgressRefusedException timeUp() {
    return new EgressRefusedException(
        "the call took longer than " + settings.timeout().toMillis() + " ms",
        EgressSettings.HTTP_TIMEOUT_MS);
  }

  private Socket handshake(Socket raw, Target target, long timeoutMillis) throws IOException {
    // A name's trailing dot ("example.com.") is the same name; SNI and the certificate want it
    // without.
    String host =
        target.host().endsWith(".")
            ? target.host().substring(0, target.host().length() - 1)
            : target.host();
    SSLSocket socket = (SSLSocket) tls.createSocket(raw, host, target.port(), true);
    SSLParameters params = socket.getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS");
    if (!host.contains(":") && !Character.isDigit(lastChar(host))) {
      params.setServerNames(List.of(new SNIHostName(host)));
    }
    socket.setSSLParameters(params);
    socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMillis));
    socket.startHandshake();
    return socket;
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // A call that is over, or that outran its deadline: there is nothing to tell.
    }
  }

  private static char lastChar(String s) {
    return s.charAt(s.length() - 1);
  }
}
