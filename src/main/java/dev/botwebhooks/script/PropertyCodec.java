package dev.botwebhooks.script;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.PropertyType;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.json.Json;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.mozilla.javascript.Callable;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.Scriptable;

/**
 * Typed properties between script values and stored values (README "The script API": integer,
 * float, string, text, boolean, json, datetime): the type a value gets when none is named, the
 * conversion to it, and the value a script reads back.
 */
final class PropertyCodec {
  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private static final BoundedText TYPE_NAME = BoundedText.scriptError("property type", 64);
  private static final BoundedText DATETIME = BoundedText.scriptError("datetime text", 64);

  private final Context cx;
  private final Scriptable scope;
  private final int maxBytes;

  PropertyCodec(Context cx, Scriptable scope, int maxPropertyBytes) {
    this.cx = cx;
    this.scope = scope;
    this.maxBytes = maxPropertyBytes;
  }

  /**
   * The value to store.
   *
   * @param type the type the script named, or absent to infer it from the value
   */
  PropertyValue toProperty(Object value, Object type) {
    PropertyType t =
        ScriptArgs.absent(type) ? inferType(value) : namedType(TYPE_NAME.read(type));
    switch (t) {
      case INTEGER: {
        double d = finite(value, "integer");
        return new PropertyValue(t, JsValues.number(d < 0 ? Math.ceil(d) : Math.floor(d)));
      }
      case FLOAT:
        return new PropertyValue(
            t, Json.MAPPER.getNodeFactory().numberNode(finite(value, "float")));
      case BOOLEAN:
        return new PropertyValue(
            t, Json.MAPPER.getNodeFactory().booleanNode(ScriptRuntime.toBoolean(value)));
      case DATETIME:
        return new PropertyValue(t, Json.MAPPER.getNodeFactory().textNode(dateText(value)));
      case JSON: {
        try {
          JsonNode node = JsValues.toJson(value, maxBytes);
          return new PropertyValue(t, node == null ? Json.object().nullNode() : node);
        } catch (JsValues.NotJsonException e) {
          if (e.getMessage().contains("characters")) {
            throw tooBig();
          }
          throw ScriptRuntime.typeError(e.getMessage());
        }
      }
      default: {
        String text = JsValues.boundedText(value, maxBytes);
        if (text == null) {
          throw tooBig();
        }
        return new PropertyValue(t, Json.MAPPER.getNodeFactory().textNode(text));
      }
    }
  }

  /** The value a script reads. */
  Object fromProperty(PropertyValue value) {
    JsonNode node = value.value();
    switch (value.type()) {
      case INTEGER:
      case FLOAT:
        return node.isNumber() ? node.doubleValue() : ScriptRuntime.toNumber(node.asText());
      case BOOLEAN:
        return node.isBoolean() ? node.booleanValue() : Boolean.parseBoolean(node.asText());
      case JSON:
        return JsValues.fromJson(cx, scope, node);
      default:
        return node.isTextual() ? node.textValue() : node.toString();
    }
  }

  /** The type of a value stored without a named type. */
  static PropertyType inferType(Object value) {
    if (value instanceof Number n) {
      double d = n.doubleValue();
      return d == Math.rint(d) && !Double.isInfinite(d) ? PropertyType.INTEGER : PropertyType.FLOAT;
    }
    if (value instanceof Boolean) {
      return PropertyType.BOOLEAN;
    }
    if (value instanceof Scriptable s && !(value instanceof Callable)) {
      return switch (s.getClassName()) {
        case "Date" -> PropertyType.DATETIME;
        case "String" -> PropertyType.STRING;
        case "Number" -> PropertyType.FLOAT;
        case "Boolean" -> PropertyType.BOOLEAN;
        default -> PropertyType.JSON;
      };
    }
    return PropertyType.STRING;
  }

  private PropertyType namedType(String name) {
    Optional<PropertyType> type =
        PropertyType.fromWireName(name)
            .or(() -> Optional.ofNullable(BOTS_BUSINESS_TYPE_NAMES.get(lower(name))));
    if (type.isEmpty()) {
      throw ScriptRuntime.throwError(
          cx,
          scope,
          "unknown property type '" + name + "' (integer, float, string, text, boolean, json, "
              + "datetime)");
    }
    return type.get();
  }

  /**
   * Type names that Bots.Business bots write and it takes, beside the seven (README "The script
   * API"): {@code 'number'} is a float, {@code 'Object'} and {@code 'array'} are json.
   */
  private static final java.util.Map<String, PropertyType> BOTS_BUSINESS_TYPE_NAMES =
      java.util.Map.of(
          "number", PropertyType.FLOAT, "object", PropertyType.JSON, "array", PropertyType.JSON);

  private static String lower(String name) {
    return name.toLowerCase(java.util.Locale.ROOT);
  }

  private static double finite(Object value, String type) {
    double d = ScriptRuntime.toNumber(value);
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw ScriptRuntime.typeError(type + " property value is not a number");
    }
    return d;
  }

  private RunAbortedError tooBig() {
    return ScriptArgs.abort(
        "property value over " + maxBytes + " bytes", Settings.Env.MAX_PROPERTY_BYTES);
  }

  private static String dateText(Object value) {
    double millis;
    if (value instanceof Scriptable s && "Date".equals(s.getClassName())) {
      millis = ScriptRuntime.toNumber(s);
    } else if (value instanceof Number n) {
      millis = n.doubleValue();
    } else {
      return DATETIME.read(value);
    }
    if (Double.isNaN(millis) || Math.abs(millis) > 8.64e15) {
      throw ScriptRuntime.rangeError("Invalid Date");
    }
    return ISO.format(Instant.ofEpochMilli((long) millis));
  }
}
