package dev.botwebhooks.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.core.Webhook;
import dev.botwebhooks.http.ContentType;
import dev.botwebhooks.http.HttpRequest;
import dev.botwebhooks.http.UrlEncoded;
import dev.botwebhooks.json.Json;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code content} and {@code options} globals of a hit, built from the HTTP request as README
 * "The script API" says: the body (else the hook's stored content), and {@code {url, method,
 * params, headers, ip}} where params are the query merged with a form or JSON-object body, the body
 * winning, and each parameter also at the top level where its name is free.
 */
record HitInput(String content, ObjectNode options) {

  static HitInput of(HttpRequest request, Webhook hook, Map<String, List<String>> pathParams) {
    String contentType = request.headers().first("content-type").orElse("");
    // A form from a page in windows-1251 escapes its bytes in that charset.
    Charset charset = ContentType.charsetOf(contentType);
    String body = new String(request.body(), charset);
    String content;
    if (!body.isEmpty()) {
      content = body;
    } else if (hook.content() != null) {
      content = hook.content();
    } else {
      content = "";
    }

    Map<String, List<String>> query = new LinkedHashMap<>(request.query());
    pathParams.forEach((k, v) -> query.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
    ObjectNode params = Json.object();
    query.forEach((name, values) -> params.set(name, valueOf(values)));
    if (!body.isEmpty()) {
      mergeBody(params, body, contentType, charset);
    }

    ObjectNode headers = Json.object();
    request.headers().joined().forEach(headers::put);

    ObjectNode options = Json.object();
    options.put("url", request.url());
    options.put("method", request.method());
    options.set("params", params);
    options.set("headers", headers);
    options.put("ip", request.sourceIp());
    // As on a Bots.Business WebApp URL, where options.key is a parameter: each parameter is also
    // at the top level, unless its name is one of the five above.
    params.fields().forEachRemaining(f -> {
      if (!options.has(f.getKey())) {
        options.set(f.getKey(), f.getValue());
      }
    });
    return new HitInput(content, options);
  }

  /**
   * A JSON object body's fields, or a form body's parameters. A body that starts with {@code {}
   * and is a JSON object is JSON whatever its type says: clients such as {@code curl -d} label
   * JSON as a form (README "Choices where the contract left room").
   */
  private static void mergeBody(
      ObjectNode params, String body, String contentType, Charset charset) {
    String type = contentType.toLowerCase(Locale.ROOT);
    boolean form = type.startsWith("application/x-www-form-urlencoded");
    // A byte order mark before JSON is not part of it (RFC 8259, section 8.1).
    String json = body.startsWith("\uFEFF") ? body.substring(1) : body;
    if (type.contains("json") || json.stripLeading().startsWith("{")) {
      try {
        JsonNode parsed = Json.parse(json);
        if (parsed != null && parsed.isObject()) {
          params.setAll((ObjectNode) parsed);
          return;
        }
      } catch (JsonProcessingException e) {
        // Not JSON (or nested too deep): a form's parameters, else only the raw text as content.
      }
    }
    if (form) {
      UrlEncoded.parse(body, charset).forEach((name, values) -> params.set(name, valueOf(values)));
    } else if (type.startsWith("multipart/form-data")) {
      ContentType.boundaryOf(contentType)
          .ifPresent(
              b -> MultipartForm.fields(body, b)
                  .forEach((name, values) -> params.set(name, valueOf(values))));
    }
  }

  /** One value as a string; a repeated parameter as an array of its values in order. */
  private static JsonNode valueOf(List<String> values) {
    if (values.size() == 1) {
      return Json.object().textNode(values.get(0));
    }
    ArrayNode array = Json.array();
    values.forEach(array::add);
    return array;
  }
}
