package dev.botwebhooks.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads invocation payloads into the AWS Lambda Java Events types ({@link APIGatewayV2HTTPEvent}
 * for HTTP API payload 2.0 and function URLs, {@link APIGatewayProxyRequestEvent} for REST API
 * payload 1.0, {@link ScheduledEvent} for EventBridge) and writes {@link APIGatewayV2HTTPResponse},
 * with the JSON field names the Lambda runtime uses. The event's kind is told from its shape, as
 * one function receives both HTTP and schedule events.
 *
 * <p>The types are filled from a Jackson tree field by field rather than bound by Jackson's bean
 * introspection, which added several hundred milliseconds to a function's first request (README,
 * "Performance").
 * Only the fields the functions read are filled.
 */
final class LambdaEvents {
  private LambdaEvents() {}

  /**
   * One invocation payload as its event type.
   *
   * @throws MalformedEventException when it is not JSON or none of these events
   */
  static Object read(byte[] payload) {
    JsonNode tree;
    try {
      tree = Json.MAPPER.readTree(payload);
    } catch (IOException e) {
      throw new MalformedEventException("event is not JSON", e);
    }
    if (tree == null || !tree.isObject()) {
      throw new MalformedEventException("event is not a JSON object");
    }
    if (isScheduled(tree)) {
      return scheduled(tree);
    }
    if (tree.path("requestContext").path("http").isObject()) {
      return httpApi(tree);
    }
    if (tree.hasNonNull("httpMethod")) {
      return restApi(tree);
    }
    throw new MalformedEventException("event is neither API Gateway payload 1.0 nor 2.0");
  }

  /** Whether the event is an EventBridge event (the template's schedules send one). */
  static boolean isScheduled(JsonNode tree) {
    return "aws.events".equals(tree.path("source").textValue()) && tree.has("detail-type");
  }

  static byte[] write(Object response) {
    if (response instanceof APIGatewayV2HTTPResponse http) {
      ObjectNode out = Json.object();
      out.put("statusCode", http.getStatusCode());
      ObjectNode headers = out.putObject("headers");
      if (http.getHeaders() != null) {
        http.getHeaders().forEach(headers::put);
      }
      out.put("body", http.getBody());
      out.put("isBase64Encoded", http.getIsBase64Encoded());
      return Json.write(out).getBytes(StandardCharsets.UTF_8);
    }
    return Json.write(Json.MAPPER.valueToTree(response)).getBytes(StandardCharsets.UTF_8);
  }

  private static APIGatewayV2HTTPEvent httpApi(JsonNode tree) {
    JsonNode context = tree.path("requestContext");
    JsonNode http = context.path("http");
    return APIGatewayV2HTTPEvent.builder()
        .withVersion(text(tree, "version"))
        .withRouteKey(text(tree, "routeKey"))
        .withRawPath(text(tree, "rawPath"))
        .withRawQueryString(text(tree, "rawQueryString"))
        .withCookies(list(tree.path("cookies")))
        .withHeaders(map(tree.path("headers")))
        .withQueryStringParameters(map(tree.path("queryStringParameters")))
        .withPathParameters(map(tree.path("pathParameters")))
        .withBody(text(tree, "body"))
        .withIsBase64Encoded(tree.path("isBase64Encoded").asBoolean(false))
        .withRequestContext(
            APIGatewayV2HTTPEvent.RequestContext.builder()
                .withRouteKey(text(context, "routeKey"))
                .withAccountId(text(context, "accountId"))
                .withStage(text(context, "stage"))
                .withApiId(text(context, "apiId"))
                .withDomainName(text(context, "domainName"))
                .withDomainPrefix(text(context, "domainPrefix"))
                .withTime(text(context, "time"))
                .withTimeEpoch(context.path("timeEpoch").asLong())
                .withRequestId(text(context, "requestId"))
                .withHttp(
                    APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                        .withMethod(text(http, "method"))
                        .withPath(text(http, "path"))
                        .withProtocol(text(http, "protocol"))
                        .withSourceIp(text(http, "sourceIp"))
                        .withUserAgent(text(http, "userAgent"))
                        .build())
                .build())
        .build();
  }

  private static APIGatewayProxyRequestEvent restApi(JsonNode tree) {
    JsonNode context = tree.path("requestContext");
    APIGatewayProxyRequestEvent.ProxyRequestContext proxyContext =
        new APIGatewayProxyRequestEvent.ProxyRequestContext()
            .withStage(text(context, "stage"))
            .withPath(text(context, "path"))
            .withRequestId(text(context, "requestId"))
            .withDomainName(text(context, "domainName"))
            .withIdentity(
                new APIGatewayProxyRequestEvent.RequestIdentity()
                    .withSourceIp(text(context.path("identity"), "sourceIp")));
    return new APIGatewayProxyRequestEvent()
        .withResource(text(tree, "resource"))
        .withPath(text(tree, "path"))
        .withHttpMethod(text(tree, "httpMethod"))
        .withHeaders(map(tree.path("headers")))
        .withMultiValueHeaders(multiMap(tree.path("multiValueHeaders")))
        .withQueryStringParameters(map(tree.path("queryStringParameters")))
        .withMultiValueQueryStringParameters(multiMap(tree.path("multiValueQueryStringParameters")))
        .withPathParameters(map(tree.path("pathParameters")))
        .withBody(text(tree, "body"))
        .withIsBase64Encoded(tree.path("isBase64Encoded").asBoolean(false))
        .withRequestContext(proxyContext);
  }

  /** The time (Joda-Time's DateTime) and the detail are not read: the functions use neither. */
  private static ScheduledEvent scheduled(JsonNode tree) {
    return new ScheduledEvent()
        .withId(text(tree, "id"))
        .withDetailType(text(tree, "detail-type"))
        .withSource(text(tree, "source"))
        .withAccount(text(tree, "account"))
        .withRegion(text(tree, "region"))
        .withResources(list(tree.path("resources")));
  }

  private static String text(JsonNode node, String field) {
    return node.path(field).isValueNode() && !node.path(field).isNull()
        ? node.path(field).asText()
        : null;
  }

  private static List<String> list(JsonNode array) {
    if (!array.isArray()) {
      return null;
    }
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }

  private static Map<String, String> map(JsonNode object) {
    if (!object.isObject()) {
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    object.properties().forEach(e -> out.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
    return out;
  }

  private static Map<String, List<String>> multiMap(JsonNode object) {
    if (!object.isObject()) {
      return null;
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    object.properties().forEach(e -> out.put(e.getKey(), list(e.getValue())));
    return out;
  }
}
