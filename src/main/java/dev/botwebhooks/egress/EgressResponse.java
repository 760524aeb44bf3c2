package dev.botwebhooks.egress;

import java.nio.charset.Charset;
import java.util.Map;

/**
 * A response, as the callback command sees it (README "Outbound HTTP calls").
 *
 * @param headers response headers by lower-case name; repeated ones joined by {@code ", "}
 * @param bytes the body as it came
 * @param charset the body's charset (UTF-8 when the response names none)
 * @param cookies the {@code name=value} pairs of its {@code Set-Cookie} headers, joined by
 *     {@code "; "}
 */
public record EgressResponse(
    int status, Map<String, String> headers, byte[] bytes, Charset charset, String cookies) {
  public EgressResponse {
    headers = Map.copyOf(headers);
  }

  /** The body decoded by its charset. */
  public String body() {
    return new String(bytes, charset);
  }
}
