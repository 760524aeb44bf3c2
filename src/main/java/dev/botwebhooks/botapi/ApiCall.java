package dev.botwebhooks.botapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.core.PageRequest;
import dev.botwebhooks.http.HttpRequest;
import dev.botwebhooks.http.Utf8;
import dev.botwebhooks.json.Json;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One authenticated call to a matched route: the request, the decoded path parameters, and the
 * readers that turn its body and query into checked values or a 4xx.
 */
final class ApiCall {
  private static final Pattern LIMIT = Pattern.compile("[0-9]{1,3}");
  private static final int MAX_CURSOR_CHARS = 1024;

  private final HttpRequest request;
  private final Map<String, String> params;

  ApiCall(HttpRequest request, Map<String, String> params) {
    this.request = request;
    this.params = Map.copyOf(params);
  }

  HttpRequest request() {
    return request;
  }

  /** A path parameter, percent-decoded. */
  String param(String name) {
    String value = params.get(name);
    if (value == null) {
      throw new IllegalStateException("route has no parameter " + name);
    }
    return value;
  }

  boolean hasParam(String name) {
    return params.containsKey(name);
  }

  String botId() {
    return param("botId");
  }

  /** The body as a JSON object, after checking the content type; empty fields are absent. */
  ObjectNode jsonObject() {
    Optional<String> type = mediaType();
    if (type.isPresent() && !isJson(type.get())) {
      throw new ApiException(415, "Content-Type must be application/json");
    }
    String text = bodyText();
    if (text.isBlank()) {
      throw ApiException.badRequest("body must be a JSON object");
    }
    JsonNode node;
    try {
      node = Json.parse(text);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("body is not valid JSON");
    }
    if (node == null || !node.isObject()) {
      throw ApiException.badRequest("body must be a JSON object");
    }
    return (ObjectNode) node;
  }

  /** The body as text, for uploads of source files; JSON content types are refused. */
  String sourceText() {
    Optional<String> type = mediaType();
    if (type.isPresent() && isJson(type.get())) {
      throw new ApiException(
          415, "Content-Type must be text (text/plain or application/javascript), not JSON");
    }
    return bodyText();
  }

  /** {@code ?limit=} (1-100, default 50) and {@code ?cursor=}. */
  PageRequest page() {
    int limit = PageRequest.DEFAULT_LIMIT;
    Optional<String> limitText = query("limit");
    if (limitText.isPresent()) {
      String text = limitText.get();
      if (!LIMIT.matcher(text).matches()
          || Integer.parseInt(text) < 1
          || Integer.parseInt(text) > PageRequest.MAX_LIMIT) {
        throw ApiException.badRequest(
            "limit must be an integer from 1 to " + PageRequest.MAX_LIMIT);
      }
      limit = Integer.parseInt(text);
    }
    Optional<String> cursor = query("cursor");
    if (cursor.isPresent()
        && (cursor.get().isEmpty() || cursor.get().length() > MAX_CURSOR_CHARS)) {
      throw ApiException.badRequest("cursor is not one this API returned");
    }
    return new PageRequest(limit, cursor);
  }

  /**
   * A query parameter the API takes once: given more than once ({@code ?commit=true&commit=false}),
   * which value was meant is unknown, so it is a 400 rather than the first one silently.
   */
  Optional<String> query(String name) {
    List<String> values = request.query().get(name);
    if (values != null && values.size() > 1) {
      throw ApiException.badRequest(name + " is given " + values.size() + " times; give it once");
    }
    return request.firstQuery(name);
  }

  private Optional<String> mediaType() {
    return request
        .headers()
        .first("Content-Type")
        .map(v -> v.split(";", 2)[0].trim().toLowerCase(Locale.ROOT))
        .filter(v -> !v.isEmpty());
  }

  private static boolean isJson(String mediaType) {
    return mediaType.equals("application/json") || mediaType.endsWith("+json");
  }

  private String bodyText() {
    return Utf8.strict(request.body())
        .orElseThrow(() -> ApiException.badRequest("body must be UTF-8 text"));
  }
}
