package dev.botwebhooks.egress;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The outbound-call settings (README "Configuration"), read from the same environment as the
 * others. Each limit is named by its variable in the error log when a call crosses it.
 *
 * @param allowed {@code HTTP_EGRESS_ALLOW}: {@code host:port} pairs reachable whatever they resolve
 *     to (tests and local use); empty in the template
 * @param timeout {@code HTTP_TIMEOUT_MS}: one request, its host's lookup to its last byte, each
 *     redirect again
 * @param maxRequestBytes {@code HTTP_MAX_REQUEST_BYTES}: a request's URL, headers and body
 * @param maxResponseBytes {@code HTTP_MAX_RESPONSE_BYTES}: a response's body
 * @param callsPerRun {@code HTTP_CALLS_PER_RUN}: {@code HTTP.*} calls one run may queue
 * @param callsPerBotPerMinute {@code HTTP_CALLS_PER_BOT_PER_MINUTE}: calls made for one bot
 */
public record EgressSettings(
    Set<String> allowed,
    Duration timeout,
    int maxRequestBytes,
    int maxResponseBytes,
    int callsPerRun,
    int callsPerBotPerMinute) {

  public static final String HTTP_EGRESS_ALLOW = "HTTP_EGRESS_ALLOW";
  public static final String HTTP_TIMEOUT_MS = "HTTP_TIMEOUT_MS";
  public static final String HTTP_MAX_REQUEST_BYTES = "HTTP_MAX_REQUEST_BYTES";
  public static final String HTTP_MAX_RESPONSE_BYTES = "HTTP_MAX_RESPONSE_BYTES";
  public static final String HTTP_CALLS_PER_RUN = "HTTP_CALLS_PER_RUN";
  public static final String HTTP_CALLS_PER_BOT_PER_MINUTE = "HTTP_CALLS_PER_BOT_PER_MINUTE";

  /** Every variable above, for the template check. */
  public static final Set<String> VARIABLES =
      Set.of(
          HTTP_EGRESS_ALLOW,
          HTTP_TIMEOUT_MS,
          HTTP_MAX_REQUEST_BYTES,
          HTTP_MAX_RESPONSE_BYTES,
          HTTP_CALLS_PER_RUN,
          HTTP_CALLS_PER_BOT_PER_MINUTE);

  public EgressSettings {
    allowed = Set.copyOf(allowed);
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(HTTP_TIMEOUT_MS + " must be positive");
    }
    positive(HTTP_MAX_REQUEST_BYTES, maxRequestBytes);
    positive(HTTP_MAX_RESPONSE_BYTES, maxResponseBytes);
    positive(HTTP_CALLS_PER_RUN, callsPerRun);
    positive(HTTP_CALLS_PER_BOT_PER_MINUTE, callsPerBotPerMinute);
  }

  public static EgressSettings defaults() {
    return new EgressSettings(Set.of(), Duration.ofSeconds(5), 65536, 1048576, 10, 60);
  }

  public static EgressSettings fromEnvironment() {
    return from(System.getenv());
  }

  /** Reads the settings from variables; blank ones count as unset. */
  public static EgressSettings from(Map<String, String> env) {
    EgressSettings d = defaults();
    return new EgressSettings(
        allowList(env.getOrDefault(HTTP_EGRESS_ALLOW, "")),
        Duration.ofMillis(integer(env, HTTP_TIMEOUT_MS, (int) d.timeout().toMillis())),
        integer(env, HTTP_MAX_REQUEST_BYTES, d.maxRequestBytes()),
        integer(env, HTTP_MAX_RESPONSE_BYTES, d.maxResponseBytes()),
        integer(env, HTTP_CALLS_PER_RUN, d.callsPerRun()),
        integer(env, HTTP_CALLS_PER_BOT_PER_MINUTE, d.callsPerBotPerMinute()));
  }

  public EgressSettings withAllowed(Set<String> hostPorts) {
    return new EgressSettings(
        hostPorts, timeout, maxRequestBytes, maxResponseBytes, callsPerRun, callsPerBotPerMinute);
  }

  /**
   * {@code host:port,host:port}, each with an explicit port, kept as a call's host and port are
   * compared with them: the port as its number ({@code 03971} as {@code 3971}), an IPv6 address in
   * brackets as URLs write it (an entry that could never match is refused, not kept).
   */
  static Set<String> allowList(String value) {
    Set<String> out = new LinkedHashSet<>();
    for (String part : value.split(",")) {
      String entry = part.trim().toLowerCase(Locale.ROOT);
      if (entry.isEmpty()) {
        continue;
      }
      int colon = entry.lastIndexOf(':');
      if (colon <= 0 || !entry.substring(colon + 1).matches("[0-9]{1,5}")) {
        throw new IllegalArgumentException(
            HTTP_EGRESS_ALLOW + " entries are host:port, got '" + part.trim() + "'");
      }
      String host = entry.substring(0, colon);
      int port = Integer.parseInt(entry.substring(colon + 1));
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(
            HTTP_EGRESS_ALLOW + " entries need a port of 1-65535, got '" + part.trim() + "'");
      }
      if (host.indexOf(':') >= 0 && !(host.startsWith("[") && host.endsWith("]"))) {
        throw new IllegalArgumentException(
            HTTP_EGRESS_ALLOW + " entries write an IPv6 address in brackets ([::1]:8080), got '"
                + part.trim() + "'");
      }
      out.add(host + ":" + port);
    }
    return out;
  }

  private static int integer(Map<String, String> env, String name, int fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'", e);
    }
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }
}
