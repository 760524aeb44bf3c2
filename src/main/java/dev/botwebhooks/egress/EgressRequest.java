package dev.botwebhooks.egress;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One outbound call as a script asked for it.
 *
 * @param method GET, POST, PUT, DELETE or OPTIONS
 * @param headers request headers, in order (the fixed ones are the client's)
 * @param body the body's bytes, or null for none
 * @param followRedirects whether to follow up to five redirects, each checked again
 */
public record EgressRequest(
    String method, String url, Map<String, String> headers, byte[] body, boolean followRedirects) {
  public EgressRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(url, "url");
    headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }
}
