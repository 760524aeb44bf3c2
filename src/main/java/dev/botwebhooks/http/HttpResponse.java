package dev.botwebhooks.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** An HTTP response: status, single-valued headers, and a text body. */
public record HttpResponse(int status, Map<String, String> headers, String body) {
  public static final String JSON = "application/json";

  /** Every answer to a bug of ours, on both functions (README "What a hit answers"). */
  public static final int INTERNAL_ERROR = 500;

  public HttpResponse {
    headers = Map.copyOf(headers);
    Objects.requireNonNull(body, "body");
  }

  /** A JSON body, serialized by Jackson, with {@code nosniff}. */
  public static HttpResponse json(int status, JsonNode body) {
    return json(status, body, Map.of());
  }

  public static HttpResponse json(int status, JsonNode body, Map<String, String> extraHeaders) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", JSON);
    h.put("X-Content-Type-Options", "nosniff");
    h.put("Cache-Control", "no-store");
    h.putAll(extraHeaders);
    return new HttpResponse(status, h, Json.write(body));
  }

  /** {@code {"error": message}}. */
  public static HttpResponse error(int status, String message) {
    return error(status, message, Map.of());
  }

  public static HttpResponse error(int status, String message, Map<String, String> extraHeaders) {
    ObjectNode body = Json.object();
    body.put("error", message);
    return json(status, body, extraHeaders);
  }
}
