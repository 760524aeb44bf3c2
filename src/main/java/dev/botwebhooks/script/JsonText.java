package dev.botwebhooks.script;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import org.mozilla.javascript.ScriptRuntime;

/**
 * Writes a JSON tree exactly as {@code JSON.stringify(value, null, indent)} would, in Java, so
 * that the text the host keeps never depends on the script's own {@code JSON}.
 */
final class JsonText {
  private JsonText() {}

  static String write(JsonNode node, int indent) {
    StringBuilder out = new StringBuilder();
    write(node, indent, 0, out);
    return out.toString();
  }

  private static void write(JsonNode node, int indent, int level, StringBuilder out) {
    if (node == null || node.isNull()) {
      out.append("null");
    } else if (node.isTextual()) {
      quote(node.textValue(), out);
    } else if (node.isBoolean()) {
      out.append(node.booleanValue());
    } else if (node.isIntegralNumber()) {
      out.append(node.asText());
    } else if (node.isNumber()) {
      out.append(ScriptRuntime.numberToString(node.doubleValue(), 10));
    } else if (node.isArray()) {
      if (node.isEmpty()) {
        out.append("[]");
        return;
      }
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        newline(indent, level + 1, out);
        write(node.get(i), indent, level + 1, out);
      }
      newline(indent, level, out);
      out.append(']');
    } else if (node.isObject()) {
      if (node.isEmpty()) {
        out.append("{}");
        return;
      }
      out.append('{');
      boolean first = true;
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        if (!first) {
          out.append(',');
        }
        first = false;
        newline(indent, level + 1, out);
        quote(f.getKey(), out);
        out.append(indent > 0 ? ": " : ":");
        write(f.getValue(), indent, level + 1, out);
      }
      newline(indent, level, out);
      out.append('}');
    } else {
      quote(node.asText(), out);
    }
  }

  private static void newline(int indent, int level, StringBuilder out) {
    if (indent > 0) {
      out.append('\n');
      out.append(" ".repeat(indent * level));
    }
  }

  /** JSON string quoting as ES2019 well-formed JSON.stringify does it, lone surrogates escaped. */
  static void quote(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            unicode(c, out);
          } else if (Character.isHighSurrogate(c)) {
            if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
              out.append(c).append(s.charAt(++i));
            } else {
              unicode(c, out);
            }
          } else if (Character.isLowSurrogate(c)) {
            unicode(c, out);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static void unicode(char c, StringBuilder out) {
    out.append(String.format("\\u%04x", (int) c));
  }
}
