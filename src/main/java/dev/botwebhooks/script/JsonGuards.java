package dev.botwebhooks.script;

import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.mozilla.javascript.Callable;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.Function;
import org.mozilla.javascript.LambdaFunction;
import org.mozilla.javascript.NativeArray;
import org.mozilla.javascript.NativeObject;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;
import org.mozilla.javascript.Undefined;

/**
 * JSON.stringify under the cost model (NativeCost): Rhino's stringify unfolds whatever it is
 * given, including what {@code toJSON} returns, in Java. It is called here with a replacer of
 * ours, which Rhino calls for every value it is about to write (after {@code toJSON}, as the
 * standard says): each call counts one value, its depth and the characters it adds, checks the
 * deadline every so often, and then hands over to the script's own replacer. A key list given as
 * the replacer is applied by that function too (a copy of each object with the listed keys, in
 * the list's order), so every value passes through the count. The indentation is normalised
 * first, the standard way: a Number or String object is unwrapped and cut to 10.
 */
final class JsonGuards {
  private static final int MAX_GAP = 10;

  private JsonGuards() {}

  static void guardStringify(ScriptableObject scope, Scriptable json) {
    Object original = ScriptableObject.getProperty(json, "stringify");
    if (!(original instanceof Function fn) || !(json instanceof ScriptableObject target)) {
      return;
    }
    LambdaFunction guarded =
        new LambdaFunction(
            scope,
            "stringify",
            3,
            (c, s, thisObj, args) -> {
              SandboxContextFactory.SandboxContext.checkCurrent();
              // The time left, read once: the work counted is charged against it as it grows.
              String gap = gap(args.length > 2 ? args[2] : Undefined.instance);
              Object replacer = args.length > 1 ? args[1] : Undefined.instance;
              Counter counter = new Counter(replacer, gap.length());
              Object value = args.length > 0 ? args[0] : Undefined.instance;
              return fn.call(
                  c, s, thisObj, new Object[] {value, counter.function(scope), gap});
            });
    target.defineProperty("stringify", guarded, ScriptableObject.DONTENUM);
  }

  /** The indentation JSON.stringify uses for {@code space}. */
  static String gap(Object space) {
    if (space instanceof Scriptable obj) {
      String cls = obj.getClassName();
      if ("Number".equals(cls)) {
        space = ScriptRuntime.toNumber(obj);
      } else if ("String".equals(cls)) {
        space = ScriptRuntime.toString(obj);
      }
    }
    if (space instanceof Number n) {
      int width = (int) Math.max(0, Math.min(MAX_GAP, ScriptRuntime.toInteger(n)));
      return " ".repeat(width);
    }
    if (space instanceof CharSequence cs) {
      return cs.subSequence(0, Math.min(MAX_GAP, cs.length())).toString();
    }
    return "";
  }

  /** The replacer of ours: counts every value, then applies the script's replacer. */
  private static final class Counter {
    private final Callable replacer;
    private final Set<Object> keys;
    private final int gap;
    private final Map<Object, Integer> depths = new IdentityHashMap<>();
    private long values;
    private long chars;
    private double copies;
    private final double maxCopies = NativeCost.unitsLeft(NativeCost.Rate.STRINGIFY);

    Counter(Object replacer, int gap) {
      this.replacer = replacer instanceof Callable f ? f : null;
      this.keys = replacer instanceof NativeArray list ? keyList(list) : null;
      this.gap = gap;
    }

    LambdaFunction function(Scriptable scope) {
      return new LambdaFunction(scope, "", 2, (c, s, holder, args) -> visit(c, s, holder, args));
    }

    private Object visit(Context cx, Scriptable scope, Scriptable holder, Object[] args) {
      Object key = args.length > 0 ? args[0] : "";
      Object value = args.length > 1 ? args[1] : Undefined.instance;
      if (replacer != null) {
        value = replacer.call(cx, scope, holder, new Object[] {key, value});
      }
      if (++values > BuiltinGuards.MAX_JSON_NODES) {
        throw refuse("JSON.stringify of a value with more than " + BuiltinGuards.MAX_JSON_NODES
            + " parts");
      }
      int depth = depths.getOrDefault(holder, 0);
      long written = (long) depth * gap + 4 + (key instanceof CharSequence k ? k.length() : 10);
      if (value instanceof CharSequence cs) {
        written += cs.length();
      }
      chars += written;
      // Rhino builds each nested value's text and copies it into its parent's: a character is
      // copied once per level above it.
      copies += (double) written * (depth + 1);
      if (copies > maxCopies || (values & 255) == 0) {
        NativeCost.charge(
            "JSON.stringify of " + values + " values nested " + depth + " deep",
            copies > maxCopies ? copies : 0,
            NativeCost.Rate.STRINGIFY);
      }
      if (chars > BuiltinGuards.MAX_STRING_CHARS) {
        throw refuse("JSON.stringify result over " + BuiltinGuards.MAX_STRING_CHARS
            + " characters");
      }
      if (value instanceof Scriptable obj && !(value instanceof Callable)) {
        if (depth >= BuiltinGuards.MAX_JSON_DEPTH) {
          throw refuse("JSON.stringify of a value nested deeper than "
              + BuiltinGuards.MAX_JSON_DEPTH);
        }
        if (keys != null && !ScriptRuntime.isArrayObject(obj) && isPlainObject(obj)) {
          value = pick(cx, scope, obj);
        }
        depths.put(value, depth + 1);
      }
      return value;
    }

    /** A copy of {@code obj} with the listed keys, in the list's order, and no prototype. */
    private Scriptable pick(Context cx, Scriptable scope, Scriptable obj) {
      NativeObject copy = new NativeObject();
      copy.setParentScope(scope);
      for (Object k : keys) {
        Object v =
            k instanceof Integer i
                ? ScriptableObject.getProperty(obj, i)
                : ScriptableObject.getProperty(obj, (String) k);
        if (v != Scriptable.NOT_FOUND) {
          if (k instanceof Integer i) {
            copy.put(i, copy, v);
          } else {
            copy.put((String) k, copy, v);
          }
        }
      }
      return copy;
    }

    private static boolean isPlainObject(Scriptable obj) {
      String cls = obj.getClassName();
      return !"Number".equals(cls) && !"String".equals(cls) && !"Boolean".equals(cls);
    }

    private static Set<Object> keyList(NativeArray list) {
      Set<Object> keys = new LinkedHashSet<>();
      long length = BuiltinGuards.checkArrayLike(list, "JSON.stringify key list");
      for (int i = 0; i < length; i++) {
        Object v = list.get(i, list);
        if (v instanceof CharSequence || v instanceof Number
            || (v instanceof Scriptable o
                && ("String".equals(o.getClassName()) || "Number".equals(o.getClassName())))) {
          String name = ScriptRuntime.toString(v);
          keys.add(name.matches("0|[1-9][0-9]{0,8}") ? (Object) Integer.valueOf(name) : name);
        }
      }
      return keys;
    }
  }

  private static RuntimeException refuse(String what) {
    return ScriptRuntime.rangeError(what + " is too large for a webhook command");
  }
}
