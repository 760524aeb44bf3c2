package dev.botwebhooks.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.botwebhooks.http.Headers;
import dev.botwebhooks.http.HttpRequest;
import dev.botwebhooks.http.HttpResponse;
import dev.botwebhooks.http.UrlEncoded;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Translates API Gateway events, as the AWS Lambda Java Events types ({@link APIGatewayV2HTTPEvent}:
 * HTTP API payload 2.0 and Lambda function URLs; {@link APIGatewayProxyRequestEvent}: REST API
 * payload 1.0), into {@link HttpRequest}s, and {@link HttpResponse}s into the {@link
 * APIGatewayV2HTTPResponse} both formats accept.
 */
public final class ApiGatewayEvents {
  private static final String DEFAULT_STAGE = "$default";

  private ApiGatewayEvents() {}

  /**
   * The request of an HTTP API payload 2.0 (or function URL) event.
   *
   * @param fallbackRequestId used when the event carries no request id (the Lambda request id)
   * @throws MalformedEventException when it has no method or a bad base64 body
   */
  public static HttpRequest toRequest(APIGatewayV2HTTPEvent event, String fallbackRequestId) {
    APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
    APIGatewayV2HTTPEvent.RequestContext.Http http = context == null ? null : context.getHttp();
    String method = required(http == null ? null : http.getMethod(), "requestContext.http.method");
    String stage = or(context.getStage(), DEFAULT_STAGE);
    String rawPath = or(event.getRawPath(), or(http.getPath(), "/"));

    Headers.Builder headers = Headers.builder();
    // Payload 2.0 joins repeated headers with commas already; they are kept as one value.
    orEmpty(event.getHeaders()).forEach(headers::add);
    // Payload 2.0 moves the Cookie header into "cookies"; put it back where HTTP has it.
    List<String> cookies = event.getCookies() == null ? List.of() : event.getCookies();
    if (!cookies.isEmpty()) {
      headers.add("cookie", String.join("; ", cookies));
    }
    Headers built = headers.build();

    String domainName = or(context.getDomainName(), "");
    // An HTTP API hands over its path percent-decoded (%2FonWebhook as /onWebhook); a function URL
    // does not. The decoded path is written back in the escaped form the routes read, with a slash
    // as a slash: the bot API takes the rest of the path as a name (README "Deploying with AWS SAM").
    String path = isFunctionUrl(domainName) ? rawPath : escapeDecodedPath(rawPath);
    String rawQuery = or(event.getRawQueryString(), "");
    return new HttpRequest(
        method.toUpperCase(Locale.ROOT),
        stripStage(path, stage),
        rawQuery,
        UrlEncoded.parse(rawQuery),
        built,
        body(event.getBody(), event.getIsBase64Encoded()),
        or(http.getSourceIp(), ""),
        or(context.getRequestId(), fallbackRequestId),
        baseUrl(domainName, stage, built));
  }

  /** A Lambda function URL's own domain ({@code <id>.lambda-url.<region>.on.aws}). */
  private static boolean isFunctionUrl(String domainName) {
    return domainName.contains(".lambda-url.");
  }

  /**
   * A decoded path in escaped form, as {@link URI}'s constructor quotes a path ({@code %} and every
   * character a path cannot hold as it is; non-ASCII as its UTF-8 escapes).
   */
  static String escapeDecodedPath(String decoded) {
    try {
      return new URI(null, null, decoded, null).toASCIIString();
    } catch (URISyntaxException e) {
      throw new MalformedEventException("rawPath is not a path", e);
    }
  }

  /** The request of a REST API payload 1.0 event; see the other {@code toRequest}. */
  public static HttpRequest toRequest(APIGatewayProxyRequestEvent event, String fallbackRequestId) {
    String method = required(event.getHttpMethod(), "httpMethod");
    APIGatewayProxyRequestEvent.ProxyRequestContext context = event.getRequestContext();
    String stage = context == null ? DEFAULT_STAGE : or(context.getStage(), DEFAULT_STAGE);
    String path = or(event.getPath(), "/");
    // A REST API's path leaves its stage out (requestContext.path has it); an HTTP API's payload
    // 1.0 path, like its rawPath, has a named stage in both.
    String contextPath = context == null ? null : context.getPath();
    boolean stageInPath = contextPath == null || contextPath.equals(path);

    Headers.Builder headers = Headers.builder();
    Map<String, List<String>> multi = event.getMultiValueHeaders();
    if (multi != null && !multi.isEmpty()) {
      multi.forEach((name, values) -> orEmpty(values).forEach(v -> headers.add(name, v)));
    } else {
      orEmpty(event.getHeaders()).forEach(headers::add);
    }
    Headers built = headers.build();

    // Payload 1.0 carries only decoded parameters; the raw query is re-encoded from them.
    Map<String, List<String>> query = new LinkedHashMap<>();
    Map<String, List<String>> multiQuery = event.getMultiValueQueryStringParameters();
    if (multiQuery != null && !multiQuery.isEmpty()) {
      multiQuery.forEach((name, values) -> query.put(name, orEmpty(values)));
    } else {
      orEmpty(event.getQueryStringParameters()).forEach((name, v) -> query.put(name, List.of(v)));
    }
    String sourceIp =
        context == null || context.getIdentity() == null
            ? ""
            : or(context.getIdentity().getSourceIp(), "");
    return new HttpRequest(
        method.toUpperCase(Locale.ROOT),
        stageInPath ? stripStage(path, stage) : path,
        encodeQuery(query),
        query,
        built,
        body(event.getBody(), Boolean.TRUE.equals(event.getIsBase64Encoded())),
        sourceIp,
        context == null ? fallbackRequestId : or(context.getRequestId(), fallbackRequestId),
        baseUrl(context == null ? "" : or(context.getDomainName(), ""), stage, built));
  }

  /** The response event: status, headers, body, not base64. */
  public static APIGatewayV2HTTPResponse toResponseEvent(HttpResponse response) {
    APIGatewayV2HTTPResponse out = new APIGatewayV2HTTPResponse();
    out.setStatusCode(response.status());
    out.setHeaders(new LinkedHashMap<>(response.headers()));
    out.setBody(response.body());
    out.setIsBase64Encoded(false);
    return out;
  }

  private static byte[] body(String body, boolean base64) {
    if (body == null || body.isEmpty()) {
      return new byte[0];
    }
    if (base64) {
      try {
        return Base64.getMimeDecoder().decode(body);
      } catch (IllegalArgumentException e) {
        throw new MalformedEventException("body is marked base64 but is not base64", e);
      }
    }
    return body.getBytes(StandardCharsets.UTF_8);
  }

  /** The path without its stage prefix, which an HTTP API's named stage puts in it. */
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

  private static String required(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new MalformedEventException("event has no " + what);
    }
    return value;
  }

  private static String or(String value, String fallback) {
    return value == null ? fallback : value;
  }

  /** The map without null values (a header or parameter without one is absent). */
  private static Map<String, String> orEmpty(Map<String, String> map) {
    Map<String, String> out = new LinkedHashMap<>();
    if (map != null) {
      map.forEach((k, v) -> { if (k != null && v != null) { out.put(k, v); } });
    }
    return out;
  }

  private static List<String> orEmpty(List<String> values) {
    return values == null ? List.of() : values.stream().filter(v -> v != null).toList();
  }
}
