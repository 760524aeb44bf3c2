package dev.botwebhooks.egress;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides where an outbound call may go (README "Outbound HTTP calls"): {@code http} or {@code
 * https} only, ports 80 and 443, a host that is a DNS name, a dotted-quad IPv4 address or a
 * bracketed IPv6 address (other IPv4 spellings, which resolvers read differently, are refused), and
 * every address the host resolves to public. The host is resolved once; the caller connects to the
 * address in the {@link Target}. {@code HTTP_EGRESS_ALLOW} names {@code host:port} pairs that pass
 * whatever they resolve to, for tests and local use.
 */
public final class EgressPolicy {
  private static final Pattern DOTTED_QUAD =
      Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
          + "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
  private static final Pattern NUMERIC_LABEL = Pattern.compile("[0-9]+|0[xX][0-9a-fA-F]*");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern IPV6_TEXT = Pattern.compile("[0-9a-fA-F:.]+");

  private final Resolver resolver;
  private final Set<String> allowed;

  /** @param allowed {@code host:port} pairs, lower case, IPv6 hosts in brackets */
  public EgressPolicy(Resolver resolver, Set<String> allowed) {
    this.resolver = resolver;
    this.allowed = Set.copyOf(allowed);
  }

  /** Checks a URL as a script or a redirect gave it. */
  public Target check(String url) throws EgressRefusedException {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new EgressRefusedException("the url is not a valid URL");
    }
    return check(uri);
  }

  public Target check(URI uri) throws EgressRefusedException {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new EgressRefusedException("only http and https URLs may be called");
    }
    if (uri.getRawUserInfo() != null) {
      throw new EgressRefusedException("a URL with credentials (user@host) is refused");
    }
    String rawHost = uri.getHost();
    if (rawHost == null || rawHost.isEmpty()) {
      throw new EgressRefusedException("the url has no valid host");
    }
    int port = uri.getPort() == -1 ? (scheme.equals("https") ? 443 : 80) : uri.getPort();
    String host = rawHost.toLowerCase(Locale.ROOT);
    boolean allowListed = allowed.contains(host + ":" + port);
    if (!allowListed && port != 80 && port != 443) {
      throw new EgressRefusedException("only ports 80 and 443 may be called, not " + port);
    }
    List<InetAddress> addresses = addresses(host);
    if (!allowListed) {
      // A name with one inward address among public ones is refused as a whole.
      for (InetAddress a : addresses) {
        Optional<String> refusal = InwardAddresses.refusal(a);
        if (refusal.isPresent()) {
          throw new EgressRefusedException(
              "the host " + host + " is or resolves to " + refusal.get() + " (refused)");
        }
      }
    }
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    return new Target(uri, bare, port, addresses.get(0));
  }

  /** What the host stands for: a literal's own address, or what one lookup gives. */
  private List<InetAddress> addresses(String host) throws EgressRefusedException {
    if (host.startsWith("[")) {
      return List.of(ipv6(host.substring(1, host.length() - 1)));
    }
    String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    String[] labels = name.split("\\.", -1);
    if (NUMERIC_LABEL.matcher(labels[labels.length - 1]).matches()) {
      if (!DOTTED_QUAD.matcher(name).matches()) {
        throw new EgressRefusedException(
            "the host is an IPv4 address in a non-standard form (decimal, octal, hex or short);"
                + " write it as four decimal numbers");
      }
      byte[] bytes = new byte[4];
      for (int i = 0; i < 4; i++) {
        bytes[i] = (byte) Integer.parseInt(labels[i]);
      }
      return List.of(InwardAddresses.ofBytes(bytes));
    }
    if (name.length() > 253 || !allLabels(labels)) {
      throw new EgressRefusedException("the host is not a valid DNS name");
    }
    return resolveOnce(name);
  }

  private List<InetAddress> resolveOnce(String name) throws EgressRefusedException {
    try {
      List<InetAddress> found = resolver.resolve(name);
      if (!found.isEmpty()) {
        return found;
      }
    } catch (Resolver.TimedOut e) {
      throw new EgressRefusedException(
          "looking up the host " + name + " took longer than the call's time limit",
          EgressSettings.HTTP_TIMEOUT_MS);
    } catch (UnknownHostException e) {
      // answered below
    }
    throw new EgressRefusedException("the host " + name + " could not be resolved");
  }

  private static InetAddress ipv6(String literal) throws EgressRefusedException {
    if (!IPV6_TEXT.matcher(literal).matches() || !literal.contains(":")) {
      throw new EgressRefusedException("the host is not a valid IPv6 address");
    }
    try {
      // Only hex digits, colons and dots: a literal, never a lookup.
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new EgressRefusedException("the host is not a valid IPv6 address");
    }
  }

  private static boolean allLabels(String[] labels) {
    for (String label : labels) {
      if (!DNS_LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }
}
