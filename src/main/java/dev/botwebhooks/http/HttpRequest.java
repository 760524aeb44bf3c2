package dev.botwebhooks.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An HTTP request as the service sees it, whatever event format it arrived in.
 *
 * @param method upper-case method
 * @param path the raw path, percent-escapes and all, without the stage prefix
 * @param rawQuery the query string as sent, without '?', possibly empty
 * @param query decoded query parameters in order
 * @param body the body bytes, already base64-decoded; empty when none
 * @param sourceIp the client IP from the request context
 * @param requestId the API Gateway (or local) request id
 * @param baseUrl scheme, host and stage prefix of the API, without a trailing slash
 */
public record HttpRequest(
    String method,
    String path,
    String rawQuery,
    Map<String, List<String>> query,
    Headers headers,
    byte[] body,
    String sourceIp,
    String requestId,
    String baseUrl) {
  public HttpRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(rawQuery, "rawQuery");
    query = Collections.unmodifiableMap(new LinkedHashMap<>(query));
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(sourceIp, "sourceIp");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(baseUrl, "baseUrl");
  }

  public Optional<String> firstQuery(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** The full URL that was hit, query string included. */
  public String url() {
    return baseUrl + path + (rawQuery.isEmpty() ? "" : "?" + rawQuery);
  }
}
