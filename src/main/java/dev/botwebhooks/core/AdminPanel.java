package dev.botwebhooks.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Bots.Business admin panel (README "Admin panels"): {@code {title, description, index, icon,
 * button_title, fields: [{name, title, type, placeholder, value, ...}]}}, kept per bot as the
 * {@code json} bot property {@code AdminPanel:<panel name>}; its fields' values are set by the
 * owner through the bot API, since there is no Bots.Business app to fill them in.
 */
public final class AdminPanel {
  public static final String PROPERTY_PREFIX = "AdminPanel:";
  public static final int MAX_NAME_CHARS = 200;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private AdminPanel() {}

  /** The bot property that holds a panel. */
  public static PropertyKey key(String botId, String panelName) {
    return PropertyKey.ofBot(botId, propertyName(panelName));
  }

  /**
   * The property name of a panel.
   *
   * @throws InvalidRequestException for a name that is empty, too long or has control characters
   */
  public static String propertyName(String panelName) {
    if (panelName == null || panelName.isEmpty() || panelName.length() > MAX_NAME_CHARS
        || panelName.chars().anyMatch(Character::isISOControl)) {
      throw new InvalidRequestException(
          "panel_name", "panel_name must be 1-" + MAX_NAME_CHARS + " characters, no control ones");
    }
    return PROPERTY_PREFIX + panelName;
  }

  /**
   * The panel to keep when a script sets it: the new data, whose fields keep the values they had
   * unless {@code force} (or the new data gives a field's value and there was none).
   */
  public static ObjectNode merge(JsonNode data, Optional<JsonNode> old, boolean force) {
    if (!data.isObject()) {
      throw new InvalidRequestException("data", "panel data must be an object");
    }
    ObjectNode panel = data.deepCopy();
    if (!panel.path("fields").isArray()) {
      panel.set("fields", NODES.arrayNode());
    }
    if (!force && old.isPresent()) {
      for (JsonNode field : panel.get("fields")) {
        Optional<JsonNode> before = field(old.get(), field.path("name").asText());
        if (field instanceof ObjectNode f && before.isPresent() && before.get().has("value")) {
          f.set("value", before.get().get("value"));
        }
      }
    }
    return panel;
  }

  /** {@code {FIELD: value}} of a panel's fields ({@code null} for a field without a value). */
  public static ObjectNode values(JsonNode panel) {
    ObjectNode values = NODES.objectNode();
    for (JsonNode field : panel.path("fields")) {
      if (field.path("name").isTextual()) {
        values.set(field.get("name").textValue(), field.path("value").isMissingNode()
            ? NODES.nullNode() : field.get("value"));
      }
    }
    return values;
  }

  /** A field of a panel by name. */
  public static Optional<JsonNode> field(JsonNode panel, String name) {
    for (JsonNode field : panel.path("fields")) {
      if (field.path("name").asText().equals(name)) {
        return Optional.of(field);
      }
    }
    return Optional.empty();
  }

  /**
   * A copy of the panel with one field's value set, converted to the field's type ({@code
   * checkbox}: boolean; {@code integer}, {@code float}: number; otherwise text).
   *
   * @throws InvalidRequestException when the panel has no such field or the value does not fit
   */
  public static ObjectNode withValue(JsonNode panel, String fieldName, JsonNode value) {
    ObjectNode copy = panel.deepCopy();
    ArrayNode fields = copy.path("fields").isArray() ? (ArrayNode) copy.get("fields") : null;
    if (fields != null) {
      for (JsonNode field : fields) {
        if (field instanceof ObjectNode f && f.path("name").asText().equals(fieldName)) {
          f.set("value", typed(fieldName, f.path("type").asText("string"), value));
          return copy;
        }
      }
    }
    throw new InvalidRequestException(
        "field_name", "the panel has no field '" + fieldName + "'");
  }

  /**
   * Numeric text: decimal digits with an optional sign, point and exponent (Java's own parser also
   * takes {@code 1.5f}, {@code 2d} and hexadecimal {@code 0x1p3}, which are typos here).
   */
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");

  /** The largest whole number a script reads exactly (Number.MAX_SAFE_INTEGER). */
  private static final double MAX_SAFE_INTEGER = 9007199254740991d;

  private static JsonNode typed(String name, String type, JsonNode value) {
    if (value == null || value.isNull()) {
      return NODES.nullNode();
    }
    switch (type) {
      case "checkbox":
        if (value.isBoolean()) {
          return value;
        }
        throw new InvalidRequestException(name, name + " is a checkbox: true or false");
      case "integer":
      case "float":
        double d = Double.NaN;
        if (value.isNumber()) {
          d = value.doubleValue();
        } else if (value.isTextual() && DECIMAL.matcher(value.textValue().trim()).matches()) {
          d = Double.parseDouble(value.textValue().trim());
        }
        // As the properties take them: a finite double, or a whole number scripts read exactly.
        if (type.equals("float") && Double.isFinite(d)) {
          return NODES.numberNode(d);
        }
        if (type.equals("integer") && d == Math.rint(d) && Math.abs(d) <= MAX_SAFE_INTEGER) {
          return NODES.numberNode((long) d);
        }
        throw new InvalidRequestException(name, name + " must be " + (type.equals("float")
            ? "a finite number" : "a whole number of at most 2^53 - 1 in size"));
      default:
        return value.isValueNode() ? NODES.textNode(value.asText()) : NODES.textNode(value.toString());
    }
  }
}
