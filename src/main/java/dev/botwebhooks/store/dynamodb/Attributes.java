package dev.botwebhooks.store.dynamodb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.json.Json;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Reading and writing single attributes: strings, numbers, instants and JSON kept as text. */
final class Attributes {
  private Attributes() {}

  static AttributeValue s(String value) {
    return AttributeValue.fromS(wellFormed(value));
  }

  /**
   * The text with each lone surrogate (half of a UTF-16 pair: legal in a script's string, absent
   * from UTF-8, in which DynamoDB keeps text) as U+FFFD, as every key and string attribute is
   * written and looked up (README "Choices where the contract left room").
   */
  static String wellFormed(String value) {
    StringBuilder fixed = null;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!Character.isSurrogate(c)) {
        continue;
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
        continue;
      }
      if (fixed == null) {
        fixed = new StringBuilder(value);
      }
      fixed.setCharAt(i, '\uFFFD');
    }
    return fixed == null ? value : fixed.toString();
  }

  static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
    if (value != null) {
      item.put(name, s(value));
    }
  }

  static String str(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null ? null : v.s();
  }

  static long num(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
  }

  static Instant instant(Map<String, AttributeValue> item, String name) {
    String v = str(item, name);
    return v == null ? null : Instant.parse(v);
  }

  static JsonNode json(Map<String, AttributeValue> item, String name) {
    String v = str(item, name);
    if (v == null) {
      return null;
    }
    try {
      return Json.parse(v);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON in '" + name + "' does not parse", e);
    }
  }
}
