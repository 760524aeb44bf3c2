package dev.botwebhooks.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A typed property value. The value is a JSON tree: a number for integer and float, a string for
 * string, text and datetime (ISO-8601), a boolean, or any JSON for json.
 */
public record PropertyValue(PropertyType type, JsonNode value) {
  public PropertyValue {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
  }
}
