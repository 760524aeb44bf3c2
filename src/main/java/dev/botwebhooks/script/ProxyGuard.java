package dev.botwebhooks.script;

import static dev.botwebhooks.script.ScriptArgs.arg;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import org.mozilla.javascript.BaseFunction;
import org.mozilla.javascript.Callable;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.Function;
import org.mozilla.javascript.LambdaFunction;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;
import org.mozilla.javascript.Undefined;

/**
 * {@code Proxy}, bounded (README "Security and limits"). Rhino forwards an operation that a
 * handler does not trap to the proxy's target in Java, with no script frame between one proxy and
 * the next: a chain of a hundred thousand proxies (through their targets or their handlers)
 * recursed to the end of the worker's Java stack at a depth the script chose, where an overflow
 * inside a JDK class's initialisation breaks that class for every later run. So a proxy is made
 * only {@value #MAX_NESTING} deep at most, counting the proxies of this run that its target and
 * handler are. Rhino sees each proxy's handler as a {@link Handler}, which looks each trap up on
 * the script's handler as a nested call that checks the deadline (a handler's prototype chain
 * holding proxies recursed in Java too, and one proxy in its own handler's chain for ever), and
 * always answers {@code getPrototypeOf}, checking the deadline before it calls the script's trap
 * or takes the target's prototype as the language does without one (a proxy in its own target's
 * prototype chain made Rhino walk that chain in Java for ever). A handler that is itself a proxy
 * is left as it is: its own handler is a {@link Handler}.
 */
final class ProxyGuard {
  /** How deep proxies may be made, each through its target or handler. */
  static final int MAX_NESTING = 1000;

  private final ScriptableObject scope;
  private final Map<Scriptable, Integer> depths = new IdentityHashMap<>();
  /** The handlers' functions, made by the run's first proxy that needs each (most runs none). */
  private Function getPrototypeOf;
  private final Map<String, Function> forwarders = new HashMap<>();

  private ProxyGuard(ScriptableObject scope) {
    this.scope = scope;
  }

  /** Replaces {@code Proxy} and {@code Proxy.revocable}. */
  static void install(ScriptableObject scope) {
    if (!(ScriptableObject.getProperty(scope, "Proxy") instanceof BaseFunction ctor)) {
      return;
    }
    ProxyGuard guard = new ProxyGuard(scope);
    Object revocable = ScriptableObject.getProperty(ctor, "revocable");
    ProxyConstructor proxy = new ProxyConstructor(scope, ctor, guard);
    if (revocable instanceof Callable revoke) {
      proxy.defineProperty(
          "revocable",
          new LambdaFunction(
              scope,
              "revocable",
              2,
              (c, s, t, a) -> {
                Object pair = revoke.call(c, s, ctor, guard.guarded(a));
                if (pair instanceof Scriptable p
                    && ScriptableObject.getProperty(p, "proxy") instanceof Scriptable made) {
                  guard.made(made, a);
                }
                return pair;
              }),
          ScriptableObject.DONTENUM);
    }
    scope.defineProperty("Proxy", proxy, ScriptableObject.DONTENUM);
  }

  /**
   * {@code Proxy}: Rhino's, its arguments guarded. Not a LambdaConstructor, which would set the
   * new proxy's prototype, and so its target's.
   */
  private static final class ProxyConstructor extends BaseFunction {
    private static final long serialVersionUID = 1L;
    private final transient BaseFunction rhino;
    private final transient ProxyGuard guard;

    ProxyConstructor(Scriptable scope, BaseFunction rhino, ProxyGuard guard) {
      super(scope, ScriptableObject.getFunctionPrototype(scope));
      this.rhino = rhino;
      this.guard = guard;
    }

    @Override
    public Object call(Context cx, Scriptable scope, Scriptable thisObj, Object[] args) {
      return rhino.call(cx, scope, thisObj, args); // refused, as without new
    }

    @Override
    public Scriptable construct(Context cx, Scriptable scope, Object[] args) {
      return guard.made(rhino.construct(cx, scope, guard.guarded(args)), args);
    }

    @Override
    public String getFunctionName() {
      return "Proxy";
    }

    @Override
    public int getLength() {
      return 2;
    }

    @Override
    public int getArity() {
      return 2;
    }
  }

  /**
   * The arguments of a proxy's making, its handler (when it is an object) seen through a {@link
   * Handler}; refused past {@link #MAX_NESTING}.
   */
  private Object[] guarded(Object[] args) {
    if (depthOf(args) > MAX_NESTING) {
      throw ScriptRuntime.rangeError("proxies nested more than " + MAX_NESTING + " deep");
    }
    if (!(arg(args, 1) instanceof Scriptable handler) || depths.containsKey(handler)) {
      // Refused by Rhino as it refuses it; or a proxy, whose own handler is already seen
      // through one (a chain of handlers is counted at its end).
      return args;
    }
    if (getPrototypeOf == null) {
      getPrototypeOf =
          new LambdaFunction(scope, "getPrototypeOf", 1, (c, s, t, a) -> prototypeOf(c, s, t, a));
    }
    Object[] copy = args.clone();
    copy[1] = new Handler(handler, this);
    return copy;
  }

  private int depthOf(Object[] args) {
    int target = arg(args, 0) instanceof Scriptable t ? depths.getOrDefault(t, 0) : 0;
    int handler = arg(args, 1) instanceof Scriptable h ? depths.getOrDefault(h, 0) : 0;
    return 1 + Math.max(target, handler);
  }

  private Scriptable made(Scriptable proxy, Object[] args) {
    depths.put(proxy, depthOf(args));
    return proxy;
  }

  private static Object prototypeOf(Context c, Scriptable s, Scriptable t, Object[] a) {
    if (!(t instanceof Handler handler)) {
      throw ScriptRuntime.typeError("not a proxy handler");
    }
    SandboxContextFactory.SandboxContext.checkCurrent();
    Object own = ScriptableObject.getProperty(handler.script, "getPrototypeOf");
    if (own == Scriptable.NOT_FOUND || own == null || Undefined.isUndefined(own)) {
      if (!(arg(a, 0) instanceof Scriptable target)) {
        throw ScriptRuntime.typeError("a proxy's target is not an object");
      }
      return target.getPrototype();
    }
    if (!(own instanceof Callable trap)) {
      throw ScriptRuntime.typeError("proxy trap getPrototypeOf is not a function");
    }
    return trap.call(c, s, handler.script, a);
  }

  /**
   * The function Rhino calls for the script's trap {@code name}: the trap its handler's lookup
   * found, called with the script's handler as {@code this}, as the language says; the arguments
   * of {@code construct} as an array (Rhino hands that trap a Java array, which no script may see).
   */
  private Function forwarder(String name) {
    return forwarders.computeIfAbsent(
        name,
        n ->
            new LambdaFunction(
                scope,
                n,
                3,
                (c, s, t, a) -> {
                  if (!(t instanceof Handler handler) || handler.found == null) {
                    throw ScriptRuntime.typeError("not a proxy handler");
                  }
                  Callable trap = handler.found;
                  handler.found = null;
                  Object[] args = a;
                  if ("construct".equals(n) && a.length > 1 && a[1] instanceof Object[] raw) {
                    args = a.clone();
                    args[1] = c.newArray(s, raw);
                  }
                  return trap.call(c, s, handler.script, args);
                }));
  }

  /**
   * A proxy's handler as Rhino sees it. Each trap is looked up on the script's handler when Rhino
   * looks it up (so a trap added later counts, as in the language), that lookup nesting like a
   * call and checking the deadline: it walks the handler's prototype chain, where a proxy asks its
   * own handler in turn, so a chain of handlers' prototypes recursed in Java. A trap found is
   * called through a {@link #forwarder}; {@code getPrototypeOf} is always answered, by {@link
   * #prototypeOf}.
   */
  private static final class Handler extends ScriptableObject {
    private static final long serialVersionUID = 1L;
    private final transient Scriptable script;
    private final transient ProxyGuard guard;
    /** The trap the last lookup found, for the call Rhino makes next. */
    private transient Callable found;

    Handler(Scriptable script, ProxyGuard guard) {
      this.script = script;
      this.guard = guard;
    }

    @Override
    public String getClassName() {
      return "Object";
    }

    @Override
    public Object get(String name, Scriptable start) {
      if ("getPrototypeOf".equals(name)) {
        return guard.getPrototypeOf;
      }
      Object own = lookUp(name);
      if (!(own instanceof Callable trap)) {
        return own; // none (Rhino does what the language does without one), or refused by Rhino
      }
      found = trap;
      return guard.forwarder(name);
    }

    @Override
    public boolean has(String name, Scriptable start) {
      return "getPrototypeOf".equals(name) || lookUp(name) != NOT_FOUND;
    }

    private Object lookUp(String name) {
      Context cx = Context.getCurrentContext();
      SandboxContextFactory.SandboxContext.checkCurrent();
      SandboxContextFactory.SandboxContext.enterNested(cx);
      try {
        return ScriptableObject.getProperty(script, name);
      } finally {
        SandboxContextFactory.SandboxContext.exitNested(cx);
      }
    }
  }
}
