package dev.botwebhooks.botapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.core.Ids;
import dev.botwebhooks.core.Utf16;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Readers for the fields of JSON bodies and the naming rules of path parameters. Every failure is
 * a 400 whose message names the field and the rule. A JSON {@code null} reads as an absent field.
 */
final class Fields {
  static final int MAX_NAME_CHARS = 256;

  private Fields() {}

  /** Refuses fields outside {@code allowed}, so that a misspelt field is not silently dropped. */
  static void requireOnly(ObjectNode body, Set<String> allowed) {
    Iterator<String> names = body.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw ApiException.badRequest(
            "unknown field '"
                + name
                + "'; allowed fields: "
                + String.join(", ", new TreeSet<>(allowed)));
      }
    }
  }

  static Optional<String> optionalString(ObjectNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      throw ApiException.badRequest(field + " must be a string");
    }
    return Optional.of(node.textValue());
  }

  static String requiredString(ObjectNode body, String field) {
    return optionalString(body, field)
        .orElseThrow(() -> ApiException.badRequest(field + " is required and must be a string"));
  }

  /** A whole JSON number that fits in a long ({@code 60} or {@code 60.0}, not {@code 60.5}). */
  static Optional<Long> optionalWholeNumber(ObjectNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    return Optional.of(wholeNumber(node, field));
  }

  static long wholeNumber(JsonNode node, String field) {
    if (!node.isNumber()) {
      throw ApiException.badRequest(field + " must be a whole number");
    }
    if (node.isIntegralNumber()) {
      if (!node.canConvertToLong()) {
        throw ApiException.badRequest(field + " is out of range");
      }
      return node.longValue();
    }
    double d = node.doubleValue();
    if (Double.isNaN(d) || Double.isInfinite(d) || d != Math.rint(d)) {
      throw ApiException.badRequest(field + " must be a whole number");
    }
    if (!node.canConvertToExactIntegral() || !node.canConvertToLong()) {
      throw ApiException.badRequest(field + " is out of range");
    }
    return node.longValue();
  }

  /**
   * A short free-text value such as a bot's or a user's name: at most {@value #MAX_NAME_CHARS}
   * characters, no control characters.
   */
  static Optional<String> optionalLabel(ObjectNode body, String field) {
    Optional<String> value = optionalString(body, field);
    value.ifPresent(v -> requireLabel(field, v));
    return value;
  }

  static void requireLabel(String field, String value) {
    if (value.length() > MAX_NAME_CHARS) {
      throw ApiException.badRequest(field + " must be at most " + MAX_NAME_CHARS + " characters");
    }
    if (hasControl(value)) {
      throw ApiException.badRequest(field + " must not contain control characters");
    }
    if (Utf16.hasLoneSurrogate(value)) {
      throw ApiException.badRequest(
          field + " must not hold half of a UTF-16 surrogate pair (an emoji cut in two)");
    }
  }

  /** A property name: 1-256 characters without control characters (spaces are allowed). */
  static String propertyName(String name) {
    if (name.isEmpty() || name.length() > MAX_NAME_CHARS) {
      throw ApiException.badRequest("property name must be 1-" + MAX_NAME_CHARS + " characters");
    }
    if (hasControl(name)) {
      throw ApiException.badRequest("property name must not contain control characters");
    }
    if (Utf16.hasLoneSurrogate(name)) {
      throw ApiException.badRequest(
          "property name must not hold half of a UTF-16 surrogate pair (an emoji cut in two)");
    }
    return name;
  }

  /** A user id field: a JSON string or a JSON integer ({@code "user_id": 8}). */
  static Optional<String> optionalUserId(ObjectNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return Optional.of(userId(Long.toString(node.longValue())));
    }
    if (!node.isTextual()) {
      throw ApiException.badRequest(field + " must be a string or an integer");
    }
    return Optional.of(userId(node.textValue()));
  }

  static String userId(String userId) {
    if (!Ids.isUserId(userId)) {
      throw ApiException.badRequest("user_id must be 1-64 of [A-Za-z0-9_-]");
    }
    return userId;
  }

  static boolean hasControl(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        return true;
      }
    }
    return false;
  }
}
