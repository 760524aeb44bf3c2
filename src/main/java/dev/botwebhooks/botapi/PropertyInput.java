package dev.botwebhooks.botapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.PropertyType;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns a property body {@code {"value", "type"?}} into a checked {@link PropertyValue}: the type
 * is inferred from the value when absent, the value must fit the type, and its JSON must fit in
 * {@code MAX_PROPERTY_BYTES}.
 */
final class PropertyInput {
  private static final Set<String> FIELDS = Set.of("value", "type");
  private static final String TYPES =
      Arrays.stream(PropertyType.values())
          .map(PropertyType::wireName)
          .collect(Collectors.joining(", "));

  private PropertyInput() {}

  static PropertyValue read(ObjectNode body, int maxPropertyBytes) {
    Fields.requireOnly(body, FIELDS);
    JsonNode value = body.get("value");
    if (value == null || value.isNull()) {
      throw ApiException.badRequest("value is required (use DELETE to remove a property)");
    }
    Optional<String> typeName = Fields.optionalString(body, "type");
    PropertyType type =
        typeName.isPresent()
            ? PropertyType.fromWireName(typeName.get())
                .orElseThrow(() -> ApiException.badRequest("type must be one of " + TYPES))
            : infer(value);
    JsonNode checked = check(type, value);
    int bytes = Json.write(checked).getBytes(StandardCharsets.UTF_8).length;
    if (bytes > maxPropertyBytes) {
      throw new ApiException(
          413,
          "value is "
              + bytes
              + " bytes of JSON; "
              + Settings.Env.MAX_PROPERTY_BYTES
              + " is "
              + maxPropertyBytes);
    }
    return new PropertyValue(type, checked);
  }

  private static PropertyType infer(JsonNode value) {
    if (value.isBoolean()) {
      return PropertyType.BOOLEAN;
    }
    if (value.isIntegralNumber()) {
      return PropertyType.INTEGER;
    }
    if (value.isNumber()) {
      return PropertyType.FLOAT;
    }
    if (value.isTextual()) {
      return PropertyType.STRING;
    }
    return PropertyType.JSON;
  }

  /** The value as stored for this type, or a 400 that says what the type needs. */
  private static JsonNode check(PropertyType type, JsonNode value) {
    switch (type) {
      case INTEGER:
        return JsonNodeFactory.instance.numberNode(Fields.wholeNumber(value, "value"));
      case FLOAT:
        if (!value.isNumber()) {
          throw ApiException.badRequest("value must be a number for type float");
        }
        if (!Double.isFinite(value.asDouble())) {
          throw ApiException.badRequest(
              "value " + value + " is out of range for type float (a 64-bit double)");
        }
        return value;
      case STRING:
      case TEXT:
        if (!value.isTextual()) {
          throw ApiException.badRequest("value must be a string for type " + type.wireName());
        }
        return value;
      case BOOLEAN:
        if (!value.isBoolean()) {
          throw ApiException.badRequest("value must be true or false for type boolean");
        }
        return value;
      case DATETIME:
        if (!value.isTextual() || !isIsoDateTime(value.textValue())) {
          throw ApiException.badRequest(
              "value must be an ISO-8601 date-time string for type datetime");
        }
        return value;
      case JSON:
        requireFiniteNumbers(value);
        return value;
      default:
        throw new IllegalStateException("unhandled property type " + type);
    }
  }

  /**
   * A number in a json value must be a finite double, as a float's ({@code 1e400} would be kept as
   * {@code Infinity}, which JSON cannot hold and the stores read back differently).
   */
  private static void requireFiniteNumbers(JsonNode value) {
    ArrayDeque<JsonNode> pending = new ArrayDeque<>(List.of(value));
    while (!pending.isEmpty()) {
      JsonNode node = pending.pop();
      if (node.isNumber() && !Double.isFinite(node.doubleValue())) {
        throw ApiException.badRequest(
            "value holds a number out of range for a json property (a 64-bit double): " + node);
      }
      node.elements().forEachRemaining(pending::push);
    }
  }

  private static boolean isIsoDateTime(String text) {
    for (DateTimeFormatter f :
        new DateTimeFormatter[] {DateTimeFormatter.ISO_DATE_TIME, DateTimeFormatter.ISO_DATE}) {
      try {
        f.parse(text);
        return true;
      } catch (DateTimeParseException e) {
        // try the next form
      }
    }
    return false;
  }
}
