package dev.botwebhooks.script;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import org.mozilla.javascript.Callable;
import org.mozilla.javascript.ConsString;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.NativeArray;
import org.mozilla.javascript.NativeObject;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;
import org.mozilla.javascript.Symbol;
import org.mozilla.javascript.Undefined;

/**
 * Converts between script values and JSON trees without using the script's own {@code JSON} or
 * {@code toString}, with caps on depth, node count and text, so a hostile value (a cycle, a DAG
 * that unfolds exponentially, a huge string) fails the conversion instead of the process.
 */
final class JsValues {
  static final int MAX_DEPTH = 100;
  static final int MAX_NODES = 100_000;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsValues() {}

  /** Thrown when a value cannot become JSON; the caller turns it into a script error. */
  static final class NotJsonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotJsonException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * A JSON tree of the value, as {@code JSON.parse(JSON.stringify(value))} would give, or null
   * where JSON.stringify gives undefined (functions, symbols, undefined).
   *
   * @param maxChars the most string characters (keys and values) the tree may hold
   */
  static JsonNode toJson(Object value, int maxChars) {
    return new ToJson(maxChars).convert(value, 0, "");
  }

  private static final class ToJson {
    private final int maxChars;
    private final Map<Object, Boolean> path = new IdentityHashMap<>();
    private int nodes;
    private long chars;

    ToJson(int maxChars) {
      this.maxChars = maxChars;
    }

    JsonNode convert(Object value, int depth, String key) {
      if (++nodes > MAX_NODES) {
        throw new NotJsonException("value has more than " + MAX_NODES + " parts");
      }
      if ((nodes & 1023) == 0) {
        SandboxContextFactory.SandboxContext.checkCurrent();
      }
      if (value instanceof Scriptable s && !(value instanceof Callable)) {
        Object toJson = ScriptableObject.getProperty(s, "toJSON");
        if (toJson instanceof Callable fn) {
          Context cx = Context.getCurrentContext();
          value = fn.call(cx, ScriptableObject.getTopLevelScope(s), s, new Object[] {key});
        }
      }
      if (value == null || value == Undefined.instance || value instanceof Callable
          || value instanceof Symbol) {
        return value == null ? NODES.nullNode() : null;
      }
      if (value instanceof CharSequence cs) {
        return NODES.textNode(text(cs));
      }
      if (value instanceof Boolean b) {
        return NODES.booleanNode(b);
      }
      if (value instanceof Number n) {
        return number(n.doubleValue());
      }
      if (!(value instanceof Scriptable obj)) {
        return NODES.nullNode();
      }
      String cls = obj.getClassName();
      switch (cls) {
        case "String":
          return NODES.textNode(text(ScriptRuntime.toCharSequence(obj)));
        case "Number":
          return number(ScriptRuntime.toNumber(obj));
        case "Boolean":
          return NODES.booleanNode(ScriptRuntime.toBoolean(obj));
        case "BigInt":
          throw new NotJsonException("a BigInt cannot be converted to JSON");
        default:
          break;
      }
      if (depth >= MAX_DEPTH) {
        throw new NotJsonException("value is nested deeper than " + MAX_DEPTH + " levels");
      }
      if (path.put(obj, Boolean.TRUE) != null) {
        throw new NotJsonException("value is cyclic");
      }
      try {
        if (obj instanceof NativeArray || "Array".equals(cls)) {
          ArrayNode array = NODES.arrayNode();
          long length = lengthOf(obj);
          if (length > MAX_NODES) {
            throw new NotJsonException("array is longer than " + MAX_NODES);
          }
          for (int i = 0; i < length; i++) {
            JsonNode item = convert(ScriptableObject.getProperty(obj, i), depth + 1, "" + i);
            array.add(item == null ? NODES.nullNode() : item);
          }
          return array;
        }
        ObjectNode object = NODES.objectNode();
        for (Object id : obj.getIds()) {
          if (id instanceof Symbol) {
            continue;
          }
          String name = String.valueOf(id);
          Object child =
              id instanceof Integer i
                  ? ScriptableObject.getProperty(obj, i)
                  : ScriptableObject.getProperty(obj, name);
          if (child == Scriptable.NOT_FOUND) {
            continue;
          }
          JsonNode item = convert(child, depth + 1, name);
          if (item != null) {
            chars += name.length();
            object.set(name, item);
          }
        }
        return object;
      } finally {
        path.remove(obj);
      }
    }

    private String text(CharSequence cs) {
      chars += cs.length();
      if (chars > maxChars) {
        throw new NotJsonException("value has more than " + maxChars + " characters");
      }
      return cs.toString();
    }
  }

  static long lengthOf(Scriptable obj) {
    Object len = ScriptableObject.getProperty(obj, "length");
    if (len == Scriptable.NOT_FOUND) {
      return 0;
    }
    double d = ScriptRuntime.toNumber(len);
    if (Double.isNaN(d) || d <= 0) {
      return 0;
    }
    return d >= 9.007199254740991E15 ? 9007199254740991L : (long) d;
  }

  static JsonNode number(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return NODES.nullNode();
    }
    if (d == Math.rint(d) && Math.abs(d) < 9.007199254740992E15) {
      return NODES.numberNode((long) d);
    }
    if (d == Math.rint(d)) {
      // A whole number past 2^53 stays one in JSON (9007199254740992, not 9.007199254740992E15):
      // the exact value of the double, which reads back as the same double.
      return NODES.numberNode(new BigDecimal(d).toBigIntegerExact());
    }
    return NODES.numberNode(d);
  }

  /** A fresh script value for a JSON tree (a copy: nothing is shared with the host). */
  static Object fromJson(Context cx, Scriptable scope, JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isArray()) {
      Object[] items = new Object[node.size()];
      for (int i = 0; i < items.length; i++) {
        items[i] = fromJson(cx, scope, node.get(i));
      }
      return cx.newArray(scope, items);
    }
    if (node.isObject()) {
      Scriptable obj = cx.newObject(scope);
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        putKey(obj, f.getKey(), fromJson(cx, scope, f.getValue()));
      }
      return obj;
    }
    return node.asText();
  }

  /**
   * Sets a property by a key as a script's {@code obj[key] = value} would: Rhino keeps keys that
   * are array indices ({@code "101"}) apart from string keys, so such a key must be stored as an
   * index, or {@code obj["101"]} and {@code obj[101]} would not find it.
   */
  static void putKey(Scriptable obj, String key, Object value) {
    ScriptRuntime.StringIdOrIndex id = ScriptRuntime.toStringIdOrIndex(key);
    if (id.getStringId() == null) {
      obj.put(id.getIndex(), obj, value);
    } else {
      obj.put(id.getStringId(), obj, value);
    }
  }

  /**
   * Request headers as a script object that answers to any letter case, each header listed once
   * when enumerated.
   */
  static Scriptable headers(Context cx, Scriptable scope, JsonNode node) {
    HeadersObject obj = new HeadersObject();
    ScriptRuntime.setBuiltinProtoAndParent(
        obj, scope, org.mozilla.javascript.TopLevel.Builtins.Object);
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      obj.putHeader(f.getKey(), fromJson(cx, scope, f.getValue()));
    }
    return obj;
  }

  /**
   * A plain object whose missing names are looked up again ignoring case. The lower-cased names
   * are kept from the start, so a miss costs one lower-casing of the name asked for, and none for
   * a name longer than every header (a script may ask with a name of millions of characters).
   */
  static final class HeadersObject extends NativeObject {
    private static final long serialVersionUID = 1L;

    private final Map<String, String> byLowerName = new java.util.HashMap<>();
    private int longestName;

    void putHeader(String name, Object value) {
      putKey(this, name, value);
      byLowerName.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
      longestName = Math.max(longestName, name.length());
    }

    @Override
    public Object get(String name, Scriptable start) {
      Object found = super.get(name, start);
      if (found != NOT_FOUND || name == null || name.length() > longestName) {
        return found;
      }
      String header = byLowerName.get(name.toLowerCase(Locale.ROOT));
      return header == null ? NOT_FOUND : super.get(header, start);
    }

    @Override
    public boolean has(String name, Scriptable start) {
      return get(name, start) != NOT_FOUND;
    }
  }

  /**
   * The text of a value for a message or an error log, without letting the script produce more
   * than {@code maxChars}: strings are measured before they are flattened; other values go
   * through ToString, which may run script code, but only under the run's deadline.
   *
   * @return null when the text is longer than maxChars
   */
  static String boundedText(Object value, int maxChars) {
    CharSequence cs;
    if (value instanceof CharSequence c) {
      cs = c;
    } else if (value instanceof Number n) {
      cs = ScriptRuntime.numberToString(n.doubleValue(), 10);
    } else if (value == null) {
      cs = "null";
    } else if (value == Undefined.instance) {
      cs = "undefined";
    } else if (value instanceof Boolean b) {
      cs = b.toString();
    } else {
      cs = ScriptRuntime.toCharSequence(value);
    }
    if (cs.length() > maxChars) {
      return null;
    }
    return cs instanceof ConsString ? cs.toString() : cs.toString();
  }
}
