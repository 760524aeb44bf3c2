package dev.botwebhooks.testing;

import dev.botwebhooks.http.Headers;
import dev.botwebhooks.http.HttpRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Requests as the Lambda handlers build them from events, for tests that call endpoints directly.
 */
public final class InProcess {
  private InProcess() {}

  /** A request for {@code pathAndQuery}, its query parsed as API Gateway does. */
  public static HttpRequest request(
      String method,
      String pathAndQuery,
      Headers headers,
      byte[] body,
      String sourceIp,
      String requestId,
      String baseUrl) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    String rawQuery = q < 0 ? "" : pathAndQuery.substring(q + 1);
    Map<String, List<String>> query = new LinkedHashMap<>();
    if (!rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&")) {
        int eq = pair.indexOf('=');
        String k = decode(eq < 0 ? pair : pair.substring(0, eq));
        String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
        query.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
      }
    }
    return new HttpRequest(
        method, path, rawQuery, query, headers, body, sourceIp, requestId, baseUrl);
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }
}
