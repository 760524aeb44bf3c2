package dev.botwebhooks.egress;

import java.net.InetAddress;
import java.net.URI;

/**
 * Where one request goes, as the policy checked it.
 *
 * @param uri the request's URI (scheme, host, path and query as given)
 * @param host the host for the {@code Host} header and TLS (SNI and certificate name)
 * @param port the port, defaults filled in
 * @param address the checked address; the connection goes here and nowhere else
 */
public record Target(URI uri, String host, int port, InetAddress address) {
  public boolean tls() {
    return "https".equalsIgnoreCase(uri.getScheme());
  }

  /** The {@code Host} header: the host, with the port when it is not the scheme's default. */
  public String hostHeader() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return port == (tls() ? 443 : 80) ? h : h + ":" + port;
  }

  /** The request target: path and query, {@code /} when the path is empty. */
  public String pathAndQuery() {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
  }
}
