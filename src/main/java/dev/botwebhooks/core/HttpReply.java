package dev.botwebhooks.core;

import java.util.Map;

/**
 * What an HTTP callback command sees besides {@code content} (README "Outbound HTTP calls"): the
 * globals {@code http_status}, {@code http_headers} and {@code cookies}.
 *
 * @param status the response status; 0 when there was no response
 * @param headers response headers by lower-case name
 * @param cookies the response's cookies as {@code name=value; ...}
 */
public record HttpReply(int status, Map<String, String> headers, String cookies) {
  public HttpReply {
    headers = Map.copyOf(headers);
    cookies = cookies == null ? "" : cookies;
  }
}
