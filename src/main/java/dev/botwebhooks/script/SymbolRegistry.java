package dev.botwebhooks.script;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import org.mozilla.javascript.Function;
import org.mozilla.javascript.LambdaFunction;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.ScriptableObject;
import org.mozilla.javascript.SymbolKey;
import org.mozilla.javascript.Undefined;

/**
 * {@code Symbol.for} and {@code Symbol.keyFor} on a registry of the run's own. Rhino keeps the
 * registry in one static map of the whole JVM that nothing ever empties: every key any run
 * registered would stay in memory for the life of the process (a few runs of {@code
 * Symbol.for('x'.repeat(2 ** 24) + i)} fill the heap of every later run), and the symbols would be
 * shared between runs. Within a run the two behave as the standard says.
 */
final class SymbolRegistry {
  private SymbolRegistry() {}

  static void install(ScriptableObject scope) {
    Object symbol = ScriptableObject.getProperty(scope, "Symbol");
    if (!(symbol instanceof Function make) || !(symbol instanceof ScriptableObject ctor)) {
      return;
    }
    Map<String, SymbolKey> byKey = new HashMap<>();
    Map<SymbolKey, String> keys = new IdentityHashMap<>();
    ctor.defineProperty(
        "for",
        new LambdaFunction(
            scope,
            "for",
            1,
            (cx, s, thisObj, args) -> {
              String key = ScriptRuntime.toString(BuiltinGuards.arg(args, 0));
              SymbolKey known = byKey.get(key);
              if (known == null) {
                known = (SymbolKey) make.call(cx, s, null, new Object[] {key});
                byKey.put(key, known);
                keys.put(known, key);
              }
              return known;
            }),
        ScriptableObject.DONTENUM);
    ctor.defineProperty(
        "keyFor",
        new LambdaFunction(
            scope,
            "keyFor",
            1,
            (cx, s, thisObj, args) -> {
              if (!(BuiltinGuards.arg(args, 0) instanceof SymbolKey sym)) {
                throw ScriptRuntime.typeError("Symbol.keyFor: not a symbol");
              }
              String key = keys.get(sym);
              return key == null ? Undefined.instance : key;
            }),
        ScriptableObject.DONTENUM);
  }
}
