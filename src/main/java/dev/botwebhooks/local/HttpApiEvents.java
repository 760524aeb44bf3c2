package dev.botwebhooks.local;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.http.UrlEncoded;
import dev.botwebhooks.http.Utf8;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.lambda.Routes.Route;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Builds HTTP API payload 2.0 events the way API Gateway does: lower-cased headers with repeated
 * values joined by commas, cookies apart, the raw path and query, and a base64 body when the body
 * is not UTF-8 text.
 */
final class HttpApiEvents {
  /** What the local stand-in calls itself; the handlers then take the base URL from Host. */
  static final String DOMAIN_NAME = "localhost";

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);

  private HttpApiEvents() {}

  /** One incoming request, as the local server read it off the socket. */
  record Incoming(
      String method,
      String rawPath,
      String rawQuery,
      Map<String, List<String>> headers,
      byte[] body,
      String sourceIp,
      String requestId,
      Instant time) {}

  static ObjectNode build(Incoming in, Route route) {
    ObjectNode event = Json.object();
    event.put("version", "2.0");
    event.put("routeKey", route.routeKey());
    String path = decodedPath(in.rawPath());
    event.put("rawPath", path);
    event.put("rawQueryString", in.rawQuery());

    List<String> cookies = new ArrayList<>();
    Map<String, List<String>> lower = new LinkedHashMap<>();
    in.headers()
        .forEach(
            (name, values) -> {
              String key = name.toLowerCase(Locale.ROOT);
              if (key.equals("cookie")) {
                for (String header : values) {
                  for (String cookie : header.split(";")) {
                    if (!cookie.isBlank()) {
                      cookies.add(cookie.trim());
                    }
                  }
                }
              } else {
                lower.computeIfAbsent(key, k -> new ArrayList<>()).addAll(values);
              }
            });
    if (!cookies.isEmpty()) {
      ArrayNode array = event.putArray("cookies");
      cookies.forEach(array::add);
    }
    ObjectNode headers = event.putObject("headers");
    lower.forEach((name, values) -> headers.put(name, String.join(",", values)));

    Map<String, List<String>> query = UrlEncoded.parse(in.rawQuery());
    if (!query.isEmpty()) {
      ObjectNode params = event.putObject("queryStringParameters");
      query.forEach((name, values) -> params.put(name, String.join(",", values)));
    }

    ObjectNode context = event.putObject("requestContext");
    context.put("accountId", "000000000000");
    context.put("apiId", "local");
    context.put("domainName", DOMAIN_NAME);
    context.put("domainPrefix", DOMAIN_NAME);
    ObjectNode http = context.putObject("http");
    http.put("method", in.method());
    http.put("path", path);
    http.put("protocol", "HTTP/1.1");
    http.put("sourceIp", in.sourceIp());
    http.put("userAgent", String.join(",", lower.getOrDefault("user-agent", List.of())));
    context.put("requestId", in.requestId());
    context.put("routeKey", route.routeKey());
    context.put("stage", "$default");
    context.put("time", TIME.format(in.time()));
    context.put("timeEpoch", in.time().toEpochMilli());

    Map<String, String> pathParameters = route.pathParameters(in.rawPath());
    if (!pathParameters.isEmpty()) {
      ObjectNode params = event.putObject("pathParameters");
      pathParameters.forEach(params::put);
    }
    if (in.body().length > 0) {
      Optional<String> text = Utf8.strict(in.body());
      if (text.isPresent()) {
        event.put("body", text.get());
        event.put("isBase64Encoded", false);
      } else {
        event.put("body", Base64.getEncoder().encodeToString(in.body()));
        event.put("isBase64Encoded", true);
      }
    } else {
      event.put("isBase64Encoded", false);
    }
    return event;
  }

  /**
   * The path as an HTTP API hands it to a function: percent-decoded, as {@link URI} decodes a path
   * ({@code %2FonWebhook} as {@code /onWebhook}; README "Deploying with AWS SAM"). A decoded {@code
   * ?} is kept here, where the HTTP API is said to cut the path at it: locally a name holding one
   * still names itself, never the name before it.
   */
  static String decodedPath(String rawPath) {
    try {
      return URI.create(rawPath).getPath();
    } catch (IllegalArgumentException e) {
      return rawPath; // the local server refuses malformed escapes before this
    }
  }

}
