package dev.botwebhooks.lambda;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.http.Headers;
import dev.botwebhooks.http.HttpRequest;
import dev.botwebhooks.http.HttpResponse;
import dev.botwebhooks.http.UrlEncoded;
import dev.botwebhooks.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Translates API Gateway events (HTTP API payload 2.0, REST API payload 1.0, Lambda function URL)
 * into {@link HttpRequest}s and {@link HttpResponse}s back into the response event both formats
 * accept. Events are read as a Jackson tree, not bound to POJOs, to keep cold starts short.
 */
public final class ApiGatewayEvents {
  private static final String DEFAULT_STAGE = "$default";

  private ApiGatewayEvents() {}

  /**
   * Reads one event from the invocation stream.
   *
   * @param fallbackRequestId used when the event carries no request id (the Lambda request id)
   * @throws MalformedEventException when it is not JSON or not an HTTP event
   */
  public static HttpRequest read(InputStream in, String fallbackRequestId) throws IOException {
    JsonNode event;
    try {
      event = Json.MAPPER.readTree(in);
    } catch (JacksonException e) {
      throw new MalformedEventException("event is not JSON", e);
    }
    return toRequest(event, fallbackRequestId);
  }

  /** Translates a parsed event; see {@link #read}. */
  public static HttpRequest toRequest(JsonNode event, String fallbackRequestId) {
    if (event == null || !event.isObject()) {
      throw new MalformedEventException("event is not a JSON object");
    }
    JsonNode context = event.path("requestContext");
    if (event.path("requestContext").path("http").isObject()) {
      return fromPayload2(event, context, fallbackRequestId);
    }
    if (event.hasNonNull("httpMethod")) {
      return fromPayload1(event, context, fallbackRequestId);
    }
    throw new MalformedEventException("event is neither API Gateway payload 1.0 nor 2.0");
  }

  /** The response event: {@code statusCode}, {@code headers}, {@code body}, not base64. */
  public static ObjectNode toResponseEvent(HttpResponse response) {
    ObjectNode out = Json.object();
    out.put("statusCode", response.status());
    ObjectNode headers = out.putObject("headers");
    response.headers().forEach(headers::put);
    out.put("body", response.body());
    out.put("isBase64Encoded", false);
    return out;
  }

  // HTTP API payload 2.0, also the format of Lambda function URLs.
  private static HttpRequest fromPayload2(JsonNode event, JsonNode context, String fallbackId) {
    JsonNode http = context.path("http");
    String method = required(http, "method", "requestContext.http.method");
    String stage = text(context, "stage", DEFAULT_STAGE);
    String rawPath = text(event, "rawPath", text(http, "path", "/"));

    Headers.Builder headers = Headers.builder();
    // Payload 2.0 joins repeated headers with commas already; they are kept as one value.
    JsonNode headerNode = event.path("headers");
    for (Map.Entry<String, JsonNode> h : headerNode.properties()) {
      headers.add(h.getKey(), h.getValue().asText());
    }
    // Payload 2.0 moves the Cookie header into "cookies"; put it back where HTTP has it.
    List<String> cookies = new ArrayList<>();
    event.path("cookies").forEach(c -> cookies.add(c.asText()));
    if (!cookies.isEmpty()) {
      headers.add("cookie", String.join("; ", cookies));
    }
    Headers built = headers.build();

    String rawQuery = text(event, "rawQueryString", "");
    return new HttpRequest(
        method.toUpperCase(Locale.ROOT),
        stripStage(rawPath, stage),
        rawQuery,
        UrlEncoded.parse(rawQuery),
        built,
        body(event),
        text(http, "sourceIp", ""),
        text(context, "requestId", fallbackId),
        baseUrl(text(context, "domainName", ""), stage, built));
  }

  // REST API payload 1.0 (also HTTP API payload 1.0).
  private static HttpRequest fromPayload1(JsonNode event, JsonNode context, String fallbackId) {
    String method = required(event, "httpMethod", "httpMethod");
    String stage = text(context, "stage", DEFAULT_STAGE);
    String path = text(event, "path", "/");

    Headers.Builder headers = Headers.builder();
    JsonNode multi = event.path("multiValueHeaders");
    JsonNode headerSource = multi.isObject() && multi.size() > 0 ? multi : event.path("headers");
    for (Map.Entry<String, JsonNode> h : headerSource.properties()) {
      if (h.getValue().isArray()) {
        h.getValue().forEach(v -> headers.add(h.getKey(), v.asText()));
      } else if (!h.getValue().isNull()) {
        headers.add(h.getKey(), h.getValue().asText());
      }
    }
    Headers built = headers.build();

    // Payload 1.0 carries only decoded parameters; the raw query is re-encoded from them.
    Map<String, List<String>> query = new LinkedHashMap<>();
    JsonNode multiQuery = event.path("multiValueQueryStringParameters");
    JsonNode querySource =
        multiQuery.isObject() && multiQuery.size() > 0
            ? multiQuery
            : event.path("queryStringParameters");
    for (Map.Entry<String, JsonNode> q : querySource.properties()) {
      List<String> values = query.computeIfAbsent(q.getKey(), k -> new ArrayList<>());
      if (q.getValue().isArray()) {
        q.getValue().forEach(v -> values.add(v.asText()));
      } else if (!q.getValue().isNull()) {
        values.add(q.getValue().asText());
      }
    }
    query.replaceAll((k, v) -> List.copyOf(v));

    return new HttpRequest(
        method.toUpperCase(Locale.ROOT),
        stripStage(path, stage),
        encodeQuery(query),
        query,
        built,
        body(event),
        text(context.path("identity"), "sourceIp", ""),
        text(context, "requestId", fallbackId),
        baseUrl(text(context, "domainName", ""), stage, built));
  }

  private static byte[] body(JsonNode event) {
    JsonNode body = event.path("body");
    if (!body.isTextual() || body.asText().isEmpty()) {
      return new byte[0];
    }
    if (event.path("isBase64Encoded").asBoolean(false)) {
      try {
        return Base64.getMimeDecoder().decode(body.asText());
      } catch (IllegalArgumentException e) {
        throw new MalformedEventException("body is marked base64 but is not base64", e);
      }
    }
    return body.asText().getBytes(StandardCharsets.UTF_8);
  }

  /** The path without its stage prefix; a REST API on its execute-api domain includes it. */
  static String stripStage(String path, String stage) {
    if (path.isEmpty()) {
      return "/";
    }
    if (stage.isEmpty() || DEFAULT_STAGE.equals(stage)) {
      return path;
    }
    String prefix = "/" + stage;
    if (path.equals(prefix)) {
      return "/";
    }
    if (path.startsWith(prefix + "/")) {
      return path.substring(prefix.length());
    }
    return path;
  }

  /**
   * The API's own base URL. A local stand-in for API Gateway says {@code localhost}; its real
   * address (and port) is in the Host header.
   */
  static String baseUrl(String domainName, String stage, Headers headers) {
    String host = headers.first("host").orElse("");
    String base;
    if (domainName.isEmpty()) {
      base = host.isEmpty() ? "https://localhost" : "https://" + host;
    } else if (isLocal(domainName)) {
      base = "http://" + (host.isEmpty() ? domainName : host);
    } else {
      base = "https://" + domainName;
    }
    if (!stage.isEmpty() && !DEFAULT_STAGE.equals(stage)) {
      base += "/" + stage;
    }
    return base;
  }

  private static boolean isLocal(String domainName) {
    String name = domainName.toLowerCase(Locale.ROOT);
    return name.equals("localhost")
        || name.startsWith("localhost:")
        || name.equals("127.0.0.1")
        || name.startsWith("127.0.0.1:");
  }

  private static String encodeQuery(Map<String, List<String>> query) {
    StringBuilder sb = new StringBuilder();
    query.forEach(
        (name, values) -> {
          for (String value : values) {
            if (sb.length() > 0) {
              sb.append('&');
            }
            sb.append(URLEncoder.encode(name, StandardCharsets.UTF_8))
                .append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
          }
        });
    return sb.toString();
  }

  private static String required(JsonNode node, String field, String what) {
    JsonNode value = node.path(field);
    if (!value.isTextual() || value.asText().isBlank()) {
      throw new MalformedEventException("event has no " + what);
    }
    return value.asText();
  }

  private static String text(JsonNode node, String field, String fallback) {
    JsonNode value = node.path(field);
    return value.isTextual() ? value.asText() : fallback;
  }
}
