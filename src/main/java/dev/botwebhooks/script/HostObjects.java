package dev.botwebhooks.script;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.mozilla.javascript.BaseFunction;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.LambdaFunction;
import org.mozilla.javascript.NativeObject;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;
import org.mozilla.javascript.SerializableCallable;
import org.mozilla.javascript.TopLevel;

/**
 * Building blocks of the script API: plain objects whose unknown members are made on demand
 * (recording Telegram calls, or throwing "not available"), and functions that always throw.
 * Every one is made fresh for each run in that run's scope.
 */
final class HostObjects {
  private HostObjects() {}

  /**
   * An object with fixed members and a fallback for every other name that is not inherited
   * from {@code Object.prototype}; the fallback's functions are made once per name.
   */
  static final class Namespace extends NativeObject {
    private static final long serialVersionUID = 1L;
    private final transient BiFunction<Scriptable, String, Object> fallback;
    private final transient Scriptable scope;
    private final Map<String, Object> made = new HashMap<>();

    Namespace(Scriptable scope, BiFunction<Scriptable, String, Object> fallback) {
      this.scope = scope;
      this.fallback = fallback;
      ScriptRuntime.setBuiltinProtoAndParent(this, scope, TopLevel.Builtins.Object);
    }

    void function(String name, int arity, SerializableCallable body) {
      defineProperty(name, new LambdaFunction(scope, name, arity, body), DONTENUM);
    }

    @Override
    public Object get(String name, Scriptable start) {
      Object own = super.get(name, start);
      if (own != NOT_FOUND || name == null || "toJSON".equals(name) || "then".equals(name)) {
        return own;
      }
      Scriptable proto = getPrototype();
      if (proto != null && ScriptableObject.hasProperty(proto, name)) {
        return NOT_FOUND;
      }
      return made.computeIfAbsent(name, n -> fallback.apply(scope, n));
    }
  }

  /**
   * A function that ends the run with {@code "<name> is not available in webhook commands"}: the
   * run fails (README "The script API"), and no {@code catch} in the script can hide it.
   */
  static BaseFunction unavailable(Scriptable scope, String name) {
    return new Unavailable(scope, name);
  }

  /** A namespace all of whose members are unavailable. */
  static Namespace unavailableNamespace(Scriptable scope, String prefix) {
    return new Namespace(scope, (s, name) -> unavailable(s, prefix + "." + name));
  }

  private static final class Unavailable extends BaseFunction {
    private static final long serialVersionUID = 1L;
    private final String name;

    Unavailable(Scriptable scope, String name) {
      super(scope, ScriptableObject.getFunctionPrototype(scope));
      this.name = name;
    }

    @Override
    public Object call(Context cx, Scriptable scope, Scriptable thisObj, Object[] args) {
      throw ScriptArgs.abort(name + " is not available in webhook commands", null);
    }

    @Override
    public Scriptable construct(Context cx, Scriptable scope, Object[] args) {
      throw ScriptArgs.abort(name + " is not available in webhook commands", null);
    }

    @Override
    public String getFunctionName() {
      return name.substring(name.lastIndexOf('.') + 1);
    }
  }
}
