package dev.botwebhooks.botapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.botwebhooks.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API's description, {@code docs/openapi.yaml}: its routes, and the schema of each answer, with
 * which the contract tests check every JSON body the API gives.
 */
final class OpenApi {
  static final Path FILE = Path.of("docs", "openapi.yaml");
  static final JsonNode DOC = read();
  private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch");
  private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

  private OpenApi() {}

  private static JsonNode read() {
    try {
      return new ObjectMapper(new YAMLFactory()).readTree(FILE.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every operation as {@code METHOD /path/{param}}. */
  static List<String> operations() {
    List<String> out = new ArrayList<>();
    DOC.path("paths")
        .properties()
        .forEach(
            p -> {
              for (String m : METHODS) {
                if (p.getValue().has(m)) {
                  out.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey());
                }
              }
            });
    return out;
  }

  /**
   * The described path a raw request path falls under (segments matched one for one, but a last
   * {@code {name}}, which takes the rest of the path: the description says so).
   */
  static Optional<String> pathOf(String rawPathAndQuery) {
    String rawPath = rawPathAndQuery.split("\\?", 2)[0];
    String[] actual = rawPath.substring(1).split("/", -1);
    for (String template : (Iterable<String>) () -> DOC.path("paths").fieldNames()) {
      String[] pattern = template.substring(1).split("/", -1);
      boolean rest = pattern[pattern.length - 1].equals("{name}");
      if (rest ? actual.length < pattern.length : pattern.length != actual.length) {
        continue;
      }
      String[] segments = java.util.Arrays.copyOf(actual, pattern.length);
      if (rest) {
        segments[pattern.length - 1] =
            String.join("/", java.util.Arrays.copyOfRange(actual, pattern.length - 1, actual.length));
      }
      boolean same = true;
      for (int i = 0; i < pattern.length && same; i++) {
        same =
            pattern[i].startsWith("{") ? !segments[i].isEmpty() : pattern[i].equals(segments[i]);
      }
      if (same) {
        return Optional.of(template);
      }
    }
    return Optional.empty();
  }

  /**
   * Checks a JSON answer against the description: the operation is described, and the body matches
   * the schema of its status (or of {@code default}).
   */
  static void assertDescribes(String method, String rawPath, int status, JsonNode body) {
    Optional<String> path = pathOf(rawPath);
    if (path.isEmpty()) {
      assertThat(status).as(method + " " + rawPath + " is not described, so it must be a 404/405")
          .isIn(404, 405);
      return;
    }
    JsonNode operation = DOC.path("paths").path(path.get()).path(method.toLowerCase(Locale.ROOT));
    if (operation.isMissingNode()) {
      assertThat(status).as(method + " " + path.get() + " is not described").isIn(404, 405);
      return;
    }
    JsonNode responses = operation.path("responses");
    JsonNode response =
        responses.has(Integer.toString(status))
            ? responses.path(Integer.toString(status))
            : responses.path("default");
    assertThat(response.isMissingNode()).as(method + " " + path.get() + " " + status).isFalse();
    JsonNode schema = resolve(response).path("content").path("application/json").path("schema");
    if (schema.isMissingNode()) {
      return;
    }
    String key = method + " " + path.get() + " " + status;
    JsonSchema compiled =
        SCHEMAS.computeIfAbsent(
            key,
            k ->
                JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(inline(schema)));
    Set<ValidationMessage> errors = compiled.validate(body);
    assertThat(errors).as(key + " answered " + body).isEmpty();
  }

  private static JsonNode resolve(JsonNode node) {
    if (node.has("$ref")) {
      JsonNode target = DOC;
      for (String part : node.path("$ref").asText().substring(2).split("/")) {
        target = target.path(part);
      }
      return resolve(target);
    }
    return node;
  }

  /** The schema with every {@code $ref} replaced by what it names. */
  private static JsonNode inline(JsonNode node) {
    JsonNode resolved = resolve(node);
    if (resolved.isObject()) {
      ObjectNode out = Json.object();
      resolved.properties().forEach(e -> out.set(e.getKey(), inline(e.getValue())));
      return out;
    }
    if (resolved.isArray()) {
      ArrayNode out = Json.array();
      resolved.forEach(e -> out.add(inline(e)));
      return out;
    }
    return resolved;
  }
}
