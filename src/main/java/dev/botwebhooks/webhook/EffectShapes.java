package dev.botwebhooks.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.core.Ids;
import dev.botwebhooks.core.OutboxEntry;
import dev.botwebhooks.core.PropertyKey;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.core.RunResult;
import dev.botwebhooks.json.Json;
import java.util.Optional;

/**
 * The JSON of a run's effects, as the request log keeps them and a replay answers them (README
 * "The request log"): messages and property changes, each text cut at {@code cap} characters
 * and marked when cut.
 */
final class EffectShapes {
  /** What the request log keeps of a message's text or a property value's JSON. */
  static final int LOG_CAP = 1024;

  private EffectShapes() {}

  static ObjectNode message(RunResult.Output output, int cap) {
    ObjectNode o = Json.object();
    if (output instanceof RunResult.Output.Message m) {
      o.put("kind", OutboxEntry.Kind.MESSAGE.wireName());
      putCut(o, "text", m.text(), cap);
      if (m.keyboard() != null) {
        putJson(o, "keyboard", m.keyboard(), cap);
      }
    } else if (output instanceof RunResult.Output.ApiCall call) {
      o.put("kind", OutboxEntry.Kind.API_CALL.wireName());
      o.put("method", call.method());
      putJson(o, "params", call.params(), cap);
    }
    return o;
  }

  /** {@code {user_id, name, before, after}}, each side {@code {value, type}} or null if absent. */
  static ObjectNode change(
      PropertyKey key, Optional<PropertyValue> before, Optional<PropertyValue> after, int cap) {
    ObjectNode o = Json.object();
    putUserId(o, key.userId());
    o.put("name", key.name());
    o.set("before", before.map(v -> value(v, cap)).orElse(null));
    o.set("after", after.map(v -> value(v, cap)).orElse(null));
    return o;
  }

  /**
   * {@code user_id} as the bot API answers ids (README "Numeric ids"): a number when the text is
   * a safe integer written as numbers print, else the text (or null).
   */
  static void putUserId(ObjectNode o, String userId) {
    Optional<Long> number = userId == null ? Optional.empty() : Ids.numeric(userId);
    if (number.isPresent()) {
      o.put("user_id", number.get());
    } else {
      o.put("user_id", userId);
    }
  }

  private static ObjectNode value(PropertyValue v, int cap) {
    ObjectNode o = Json.object();
    putJson(o, "value", v.value(), cap);
    o.put("type", v.type().wireName());
    return o;
  }

  /** Text up to {@code cap} characters; a {@code <name>_truncated: true} says when it was cut. */
  static void putCut(ObjectNode o, String name, String text, int cap) {
    if (text != null && text.length() > cap) {
      o.put(name, text.substring(0, cap));
      o.put(name + "_truncated", true);
    } else {
      o.put(name, text);
    }
  }

  /** JSON as it is when its text fits in {@code cap}, else the start of its text, marked cut. */
  private static void putJson(ObjectNode o, String name, JsonNode value, int cap) {
    String text = Json.write(value);
    if (text.length() > cap) {
      putCut(o, name, text, cap);
    } else {
      o.set(name, value);
    }
  }
}
