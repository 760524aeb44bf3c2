package dev.botwebhooks.script;

import org.mozilla.javascript.Context;
import org.mozilla.javascript.RhinoException;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;
import org.mozilla.javascript.Symbol;
import org.mozilla.javascript.SymbolKey;
import org.mozilla.javascript.TopLevel;
import org.mozilla.javascript.Undefined;

/**
 * Makes the standard objects of one run: Rhino's safe set (no LiveConnect), minus what a webhook
 * command has no use for and cannot be bounded, plus guards on built-ins that would loop or
 * allocate without running script code. A new set per run is what keeps one run's changes to
 * {@code Object.prototype}, {@code JSON} or {@code Math} away from every later run.
 */
final class Sandbox {
  /** Globals removed from the safe standard objects. */
  static final String[] REMOVED = {
    "Continuation", "Script", "ArrayBuffer", "DataView", "Int8Array", "Uint8Array",
    "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array",
    "BigInt64Array", "BigUint64Array", "Float32Array", "Float64Array", "Packages", "java",
    "javax", "org", "com", "edu", "net", "getClass", "JavaAdapter", "JavaImporter",
    "JavaException", "With", "Call", "BigInt", "uneval", "__GeneratorFunction", "CallSite"
  };

  /**
   * Holders of Rhino's non-standard {@code toSource}: it walks nested arrays and objects in Java
   * without counting instructions, so a small DAG of arrays never finishes. It is removed.
   */
  static final String[] TO_SOURCE_HOLDERS = {
    "Object", "Array", "String", "Number", "Boolean", "Date", "Error", "Function", "RegExp",
    "Symbol", "Promise", "Map", "Set", "WeakMap", "WeakSet", "JSON", "Math", "Reflect"
  };

  private Sandbox() {}

  private static final Symbol[] WELL_KNOWN = {
    SymbolKey.ITERATOR, SymbolKey.UNSCOPABLES, SymbolKey.TO_STRING_TAG, SymbolKey.SPECIES,
    SymbolKey.TO_PRIMITIVE, SymbolKey.HAS_INSTANCE
  };

  /** Reads every own property once, so no lazy placeholder is left for a descriptor to show. */
  private static void resolveLazy(ScriptableObject obj) {
    for (Symbol symbol : WELL_KNOWN) {
      try {
        obj.get(symbol, obj);
      } catch (RhinoException e) {
        // As below.
      }
    }
    for (Object id : obj.getAllIds()) {
      try {
        if (id instanceof String name) {
          obj.get(name, obj);
        } else if (id instanceof Integer index) {
          obj.get(index, obj);
        }
      } catch (RhinoException e) {
        // A built-in getter that refuses the prototype itself as receiver: nothing lazy there.
      }
    }
  }

  /**
   * The global object of a run. Rhino's last step in making the standard objects caches the
   * built-in constructors by reading each of them from the global object, which builds every
   * lazily made one, the typed arrays and {@code BigInt} included; removing those first means
   * they are never built, in any run (README "Performance").
   */
  private static final class Global extends TopLevel {
    private static final long serialVersionUID = 1L;

    @Override
    public void cacheBuiltins(Scriptable scope, boolean sealed) {
      for (String name : REMOVED) {
        delete(name);
      }
      super.cacheBuiltins(scope, sealed);
    }
  }

  static ScriptableObject newScope(Context cx) {
    ScriptableObject scope = cx.initSafeStandardObjects(new Global(), false);
    // Again: caching the built-ins defines __GeneratorFunction.
    for (String name : REMOVED) {
      scope.delete(name);
    }
    // Lazily loaded constructors sit in the scope as Java placeholders until first read; a
    // property descriptor would hand the placeholder itself to the script. Past the globals,
    // Rhino 1.9.2 keeps two more on Array.prototype; SandboxOverHttpTest walks everything a
    // script can reach to prove that no other is left. (Reading every property of every built-in
    // instead would build every built-in function, most of a run's cost.)
    resolveLazy(scope);
    ScriptableObject arrayProto = (ScriptableObject) ScriptableObject.getArrayPrototype(scope);
    arrayProto.get("", arrayProto);
    arrayProto.get(SymbolKey.UNSCOPABLES, arrayProto);
    for (String name : TO_SOURCE_HOLDERS) {
      Object holder = ScriptableObject.getProperty(scope, name);
      if (holder instanceof ScriptableObject obj) {
        obj.delete("toSource");
        Object proto = ScriptableObject.getProperty(obj, "prototype");
        if (proto instanceof ScriptableObject p) {
          p.delete("toSource");
        }
      }
    }
    // Rhino's V8-style Error.prepareStackTrace hands the function CallSite objects, whose
    // methods answer Java values for other receivers and fail inside the engine for the
    // prototype: the hook becomes a plain property the engine never reads, so none is made.
    ScriptableObject error = (ScriptableObject) ScriptableObject.getProperty(scope, "Error");
    error.delete("prepareStackTrace");
    error.defineProperty("prepareStackTrace", Undefined.instance, ScriptableObject.DONTENUM);
    BuiltinGuards.install(cx, scope);
    SymbolRegistry.install(scope);
    RunRandom.install(scope);
    LocaleNumbers.install(scope);
    LocaleDates.install(scope);
    ReflectGet.install(scope);
    ProxyGuard.install(scope);
    return scope;
  }
}
