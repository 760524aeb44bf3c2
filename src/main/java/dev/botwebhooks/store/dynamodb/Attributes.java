package dev.botwebhooks.store.dynamodb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.core.Utf16;
import dev.botwebhooks.json.Json;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Reading and writing single attributes: strings, numbers, instants and JSON kept as text. */
final class Attributes {
  private Attributes() {}

  /**
   * A string attribute, each lone surrogate as U+FFFD ({@link Utf16#wellFormed}): DynamoDB keeps
   * text as UTF-8, and every string attribute and key is written and looked up this way (README
   * "Choices where the contract left room"). Names never hold one: the service refuses them.
   */
  static AttributeValue s(String value) {
    return AttributeValue.fromS(Utf16.wellFormed(value));
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
