package dev.botwebhooks.egress;

import java.util.Map;

/**
 * A response, as the callback command sees it (README "Outbound HTTP calls").
 *
 * @param headers response headers by lower-case name; repeated ones joined by {@code ", "}
 * @param body the body decoded by its charset (UTF-8 when none is given)
 * @param cookies the {@code name=value} pairs of its {@code Set-Cookie} headers, joined by
 *     {@code "; "}
 */
public record EgressResponse(int status, Map<String, String> headers, String body, String cookies) {
  public EgressResponse {
    headers = Map.copyOf(headers);
  }
}
