package dev.botwebhooks.script;

import org.mozilla.javascript.Context;
import org.mozilla.javascript.ScriptableObject;
import org.mozilla.javascript.TopLevel;

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
    "JavaException", "With", "Call", "BigInt"
  };

  private Sandbox() {}

  static ScriptableObject newScope(Context cx) {
    ScriptableObject scope = cx.initSafeStandardObjects(new TopLevel(), false);
    for (String name : REMOVED) {
      scope.delete(name);
    }
    BuiltinGuards.install(cx, scope);
    return scope;
  }
}
