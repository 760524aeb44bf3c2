package dev.botwebhooks.script;

import static dev.botwebhooks.script.BuiltinGuards.MAX_SOURCE_CHARS;
import static dev.botwebhooks.script.BuiltinGuards.arg;
import static dev.botwebhooks.script.BuiltinGuards.refuse;

import org.mozilla.javascript.BaseFunction;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.Function;
import org.mozilla.javascript.LambdaConstructor;
import org.mozilla.javascript.LambdaFunction;
import org.mozilla.javascript.Script;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;

/**
 * Guards of the built-ins that compile source a script passes, {@code eval} and the {@code
 * Function} constructor: compiling counts no instructions, so the source's length is capped and
 * charged against the deadline ({@link NativeCost}), and BigInt literals and code nested too deep
 * are refused as in commands ({@link SourceChecks}).
 */
final class CompileGuards {
  /** Compiled once: a compiled script holds no run's objects (see {@link CompiledScripts}). */
  private static volatile Script generatorPrototype;

  private CompileGuards() {}

  private static Script generatorPrototypeScript(Context cx) {
    Script script = generatorPrototype;
    if (script == null) {
      script = cx.compileString("Object.getPrototypeOf(function*(){})", "setup", 1, null);
      generatorPrototype = script;
    }
    return script;
  }

  static void install(Context cx, ScriptableObject scope) {
    guardEval(scope);
    guardFunctionConstructors(cx, scope);
  }

  /**
   * {@code eval}, its source's length, BigInt literals and nesting checked. Rhino evaluates in the caller's
   * scope only when the function called is its own {@code eval}; this one is called with the
   * caller's scope at a direct call ({@code eval(...)} by name), and evaluates there, so the code
   * sees the caller's local variables as in every engine (Bots.Business libraries such as Lang read
   * their texts with {@code eval("json." + key)}); its {@code this} is the object it was called on.
   */
  private static void guardEval(ScriptableObject scope) {
    if (!(ScriptableObject.getProperty(scope, "eval") instanceof Function)) {
      return;
    }
    scope.defineProperty("eval", new GuardedEval(scope), ScriptableObject.DONTENUM);
  }

  /** Not a LambdaFunction, which is called with its own scope rather than its caller's. */
  private static final class GuardedEval extends BaseFunction {
    private static final long serialVersionUID = 1L;

    GuardedEval(Scriptable scope) {
      super(scope, ScriptableObject.getFunctionPrototype(scope));
    }

    @Override
    public Object call(Context c, Scriptable callerScope, Scriptable thisObj, Object[] a) {
      SandboxContextFactory.SandboxContext.checkCurrent();
      Object src = arg(a, 0);
      if (src instanceof CharSequence cs) {
        if (cs.length() > MAX_SOURCE_CHARS) {
          throw refuse("eval of " + cs.length() + " characters");
        }
        NativeCost.charge(
            "eval of " + cs.length() + " characters", cs.length(), NativeCost.Rate.COMPILE);
        SourceChecks.check(c, cs.toString(), "eval");
      }
      return ScriptRuntime.evalSpecial(c, callerScope, thisObj, a, "eval", 1);
    }

    @Override
    public Scriptable construct(Context c, Scriptable scope, Object[] args) {
      throw ScriptRuntime.typeError("eval is not a constructor");
    }

    @Override
    public String getFunctionName() {
      return "eval";
    }

    @Override
    public int getLength() {
      return 1;
    }

    @Override
    public int getArity() {
      return 1;
    }
  }

  /**
   * The Function constructor compiles source without counting instructions; it is replaced by a
   * guarded one everywhere a script can find it. The generator function constructor (reachable
   * only through a generator's prototype chain) is removed.
   */
  /**
   * {@code Function(...)}: its source's length, BigInt literals and nesting checked, then built. Each
   * argument is turned into text once, and that text is what is checked and what is compiled: an
   * object whose {@code toString} answers differently each time cannot pass the checks with one
   * source and be compiled with another.
   */
  private static Scriptable guardedFunction(
      BaseFunction ctor, Context c, Scriptable s, Object[] a) {
    SandboxContextFactory.SandboxContext.checkCurrent();
    CharSequence[] parts = new CharSequence[a.length];
    long total = 0;
    for (int i = 0; i < a.length; i++) {
      parts[i] = ScriptRuntime.toCharSequence(a[i]);
      total += parts[i].length();
    }
    if (total > MAX_SOURCE_CHARS) {
      throw refuse("Function source of " + total + " characters");
    }
    NativeCost.charge("Function source of " + total + " characters", total, NativeCost.Rate.COMPILE);
    Object[] texts = new Object[a.length];
    // The function as Function builds it: every argument but the last is a parameter, the last
    // is the body.
    StringBuilder params = new StringBuilder();
    for (int i = 0; i < a.length; i++) {
      texts[i] = parts[i].toString();
      if (i < a.length - 1) {
        params.append(i == 0 ? "" : ",").append(texts[i]);
      }
    }
    Object body = a.length == 0 ? "" : texts[a.length - 1];
    SourceChecks.check(c, "(function(" + params + "\n) {\n" + body + "\n})", "Function");
    return ctor.construct(c, s, texts);
  }

  private static void guardFunctionConstructors(Context cx, ScriptableObject scope) {
    Object original = ScriptableObject.getProperty(scope, "Function");
    if (!(original instanceof BaseFunction ctor)) {
      return;
    }
    Scriptable functionProto = ScriptableObject.getFunctionPrototype(scope);
    // Callable with and without new, as in every engine (new Function(...), Reflect.construct).
    LambdaConstructor guarded =
        new LambdaConstructor(
            scope,
            "Function",
            1,
            (c, s, t, a) -> guardedFunction(ctor, c, s, a),
            (c, s, a) -> guardedFunction(ctor, c, s, a));
    guarded.defineProperty(
        "prototype",
        functionProto,
        ScriptableObject.DONTENUM | ScriptableObject.READONLY | ScriptableObject.PERMANENT);
    scope.defineProperty("Function", guarded, ScriptableObject.DONTENUM);
    ((ScriptableObject) functionProto)
        .defineProperty("constructor", guarded, ScriptableObject.DONTENUM);
    Object generatorProto = generatorPrototypeScript(cx).exec(cx, scope);
    if (generatorProto instanceof ScriptableObject gp) {
      gp.delete("constructor");
    }
  }
}
