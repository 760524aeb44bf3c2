package dev.botwebhooks.script;

import org.mozilla.javascript.Callable;
import org.mozilla.javascript.LambdaFunction;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;

/**
 * {@code Reflect.get(target, key, receiver)} calling a getter with the receiver as {@code this},
 * as the language says: Rhino 1.9.2 ignores the receiver, and transpiled classes read
 * {@code super.x} of a getter through it (README "Transpiling at upload").
 */
final class ReflectGet {
  private ReflectGet() {}

  static void install(ScriptableObject scope) {
    Object reflect = ScriptableObject.getProperty(scope, "Reflect");
    if (!(reflect instanceof ScriptableObject r)
        || !(r.get("get", r) instanceof Callable original)) {
      return;
    }
    r.defineProperty(
        "get",
        new LambdaFunction(
            scope,
            "get",
            2,
            (cx, s, thisObj, args) -> {
              if (args.length >= 3
                  && args[0] instanceof Scriptable target
                  && args[1] instanceof CharSequence key
                  && args[2] != args[0]) {
                String name = key.toString();
                for (Scriptable o = target; o != null; o = o.getPrototype()) {
                  if (o instanceof ScriptableObject so && so.has(name, so)) {
                    Object getter = so.getGetterOrSetter(name, 0, false);
                    if (getter instanceof Callable g) {
                      return g.call(cx, s, ScriptRuntime.toObject(cx, s, args[2]), new Object[0]);
                    }
                    break;
                  }
                }
              }
              return original.call(cx, s, thisObj, args);
            }),
        ScriptableObject.DONTENUM);
  }
}
