package dev.botwebhooks.script;

import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.RunHost;
import dev.botwebhooks.core.RunRequest;
import dev.botwebhooks.core.RunResult;
import dev.botwebhooks.core.ScriptRuntime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.mozilla.javascript.Callable;
import org.mozilla.javascript.ConsString;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.EcmaError;
import org.mozilla.javascript.EvaluatorException;
import org.mozilla.javascript.JavaScriptException;
import org.mozilla.javascript.RhinoException;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;

/**
 * Runs commands in a sandboxed Rhino engine (see the package documentation for the threat
 * model). Each run gets a fresh context and a fresh set of standard objects; compiled bodies are
 * shared across runs. {@link #run} never throws.
 */
public final class RhinoScriptRuntime implements ScriptRuntime {
  /**
   * The limit named in the error log when a run allocated past its budget or the heap ran out.
   * Not an environment variable: the budget is fixed ({@link #DEFAULT_ALLOCATION_BUDGET}).
   */
  public static final String MEMORY_LIMIT = "SCRIPT_MEMORY";

  /** The limit named in the error log when a run recursed too deep (fixed, not configurable). */
  public static final String STACK_LIMIT = "SCRIPT_STACK";

  /**
   * The limit named in the error log when a run queued more promise jobs than {@link
   * #MAX_PROMISE_JOBS} (fixed, not configurable).
   */
  public static final String PROMISE_JOBS_LIMIT = "MAX_PROMISE_JOBS";

  /**
   * Promise jobs one run may queue in all. A job's promise chain stays alive until the run ends,
   * so a script that queues jobs endlessly (a {@code then} callback returning a new promise)
   * would hold more memory at every step, and the collections that follow could outlast the
   * deadline; this bound ends it first. A webhook command needs a handful.
   */
  public static final int MAX_PROMISE_JOBS = 10_000;

  /** Bytes a run may allocate in total before it is stopped. */
  public static final long DEFAULT_ALLOCATION_BUDGET = 256L << 20;

  private static final int MAX_ERROR_CHARS = 2_000;

  private final Settings.Limits limits;
  private final long allocationBudget;
  private final Clock clock;
  private final SandboxContextFactory factory = new SandboxContextFactory();
  private final SpareScopes spares = new SpareScopes(factory);
  private final CompiledScripts scripts = new CompiledScripts();
  private final RunWatchdog watchdog = new RunWatchdog();

  public RhinoScriptRuntime(Settings.Limits limits) {
    this(limits, DEFAULT_ALLOCATION_BUDGET);
  }

  /**
   * A runtime reading time from {@code clock}, the clock its callers compute run deadlines with
   * (a deadline from one clock measured against another would end runs early or late).
   */
  public RhinoScriptRuntime(Settings.Limits limits, Clock clock) {
    this(limits, DEFAULT_ALLOCATION_BUDGET, clock);
  }

  /** A runtime with another allocation budget (tests use a small one). */
  public RhinoScriptRuntime(Settings.Limits limits, long allocationBudget) {
    this(limits, allocationBudget, Clock.systemUTC());
  }

  private RhinoScriptRuntime(Settings.Limits limits, long allocationBudget, Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.limits = Objects.requireNonNull(limits, "limits");
    if (allocationBudget <= 0) {
      throw new IllegalArgumentException("allocationBudget must be positive: " + allocationBudget);
    }
    this.allocationBudget = allocationBudget;
    requireGuardedConsString();
    warmUp();
  }

  /**
   * The maximum string length lives in the project's copy of {@link ConsString}; if the class
   * path ever puts Rhino's own copy first (a packaging change, a Rhino upgrade), the service
   * refuses to start rather than run without it.
   */
  private static void requireGuardedConsString() {
    try {
      ConsString.class.getField("MAX_LENGTH");
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException(
          "Rhino's own ConsString was loaded instead of the project's copy with a maximum string"
              + " length; check the class path order",
          e);
    }
  }

  /**
   * Loads the engine's lazily initialised classes once, outside any attacker's run, so that a
   * stack overflow or an out-of-memory error inside a hostile run can never leave a class
   * half-initialised for every later run.
   */
  private void warmUp() {
    String source =
        "var m = new Map([[1, 2]]), s = new Set([1]), w = new WeakMap(), p = Promise.resolve(1);"
            + "p.then(x => x); JSON.parse(JSON.stringify({a: [1, 'b', null, true]}));"
            + "Math.max(1, 2); /a(b)/g.exec('ab'); 'ab'.replace(/b/, 'c').padStart(3).repeat(2);"
            + "Symbol('x'); Object.keys(Reflect); new Proxy({}, {}); new Date().toISOString();"
            + "[3, 1, 2].sort().map(x => x).filter(x => x).join();"
            + "(function* g() { yield 1; })().next(); let {a, b = 2} = {a: 1}; `t${a}`;"
            + "try { null.x } catch (e) { e.message } inspect({a: 1}); CryptoJS.SHA256('a') + '';"
            + "Bot.sendMessage(String(a + b)); Bot.getProperty('x', 1); Bot.setProperty('x', 1);"
            + "Array.from([1]).concat([2]).flat(); Function('return 1')(); eval('1');";
    String bot = "warmup"; // no bot's id: its compiled body is dropped after the run
    RunRequest warm =
        new RunRequest(
            new dev.botwebhooks.core.BotCode(
                bot, 0, java.util.List.of(
                    new dev.botwebhooks.core.Command("/warmup", java.util.List.of(), source, 0)),
                java.util.List.of()),
            bot,
            "/warmup",
            "",
            dev.botwebhooks.json.Json.object(),
            Optional.empty(),
            Instant.now().plusSeconds(10),
            0,
            0);
    run(warm, new NoHost());
    scripts.forget(bot);
  }

  /** The host of the warm-up run: nothing is kept. */
  private static final class NoHost implements RunHost {
    @Override
    public Optional<dev.botwebhooks.core.PropertyValue> getProperty(
        Optional<String> userId, String name) {
      return Optional.empty();
    }

    @Override
    public void setProperty(
        Optional<String> userId, String name, dev.botwebhooks.core.PropertyValue value) {}

    @Override
    public void deleteProperty(Optional<String> userId, String name) {}

    @Override
    public String mint(dev.botwebhooks.core.MintRequest request) {
      return "";
    }

    @Override
    public void keepRun() {}
  }

  /**
   * Waits, at most {@code limit}, until the next runs' spare scopes are made (see {@link
   * SpareScopes#awaitReady}); returns whether they were.
   */
  public boolean awaitSpareScopes(Duration limit) {
    try {
      return spares.awaitReady(limit);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Drops the compiled bodies of {@code botId}: init's priming bot, whose versions no request runs
   * again, leaves none behind in the cache (nor in a snapshot of the process).
   */
  public void forgetCompiled(String botId) {
    scripts.forget(botId);
  }

  /** How many command and library bodies the cache keeps. */
  public int keptBodies() {
    return scripts.size();
  }

  /** How many times a command or library body was compiled; a warm run of it compiles none. */
  public long compilations() {
    return scripts.compilations();
  }

  @Override
  public RunResult run(RunRequest request, RunHost host) {
    Duration left = Duration.between(clock.instant(), request.deadline());
    return watchdog.call(
        fenced -> {
          try {
            return runChecked(request, fenced);
          } catch (Throwable t) {
            // The last line of defence: whatever escaped (a JVM error included) is a failed run.
            return failure(t);
          }
        },
        host,
        left.isNegative() ? Duration.ZERO : left,
        RhinoScriptRuntime::failure);
  }

  /** Runs abandoned because they did not stop at their deadline (see {@link RunWatchdog}). */
  public int abandonedRuns() {
    return watchdog.abandoned();
  }

  /**
   * Runs abandoned in this whole process, by any runtime: past zero, threads of attackers' runs
   * may still be running beside later work, and the process should be replaced.
   */
  public static int abandonedInProcess() {
    return RunWatchdog.abandonedInProcess();
  }

  private static final AtomicInteger FAULTED_IN_PROCESS = new AtomicInteger();

  /**
   * Runs in this whole process that ended in a Java stack overflow, or on a class the JVM could
   * not initialise or link: the error may have struck inside a JDK or engine class's
   * initialisation, which the JVM then refuses for good, for every later run, so past zero the
   * process should be replaced (README "When a run does not stop").
   */
  public static int faultedInProcess() {
    return FAULTED_IN_PROCESS.get();
  }

  /** Whether {@code t}, or a cause of it, is an error that may leave the JVM broken for others. */
  private static boolean mayBreakTheJvm(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof StackOverflowError || c instanceof LinkageError) {
        return true;
      }
    }
    return false;
  }

  private RunResult runChecked(RunRequest request, RunHost host) {
    if (Context.getCurrentContext() != null) {
      return new RunResult.Failed("script runtime entered twice on one thread", Optional.empty());
    }
    Duration left = Duration.between(clock.instant(), request.deadline());
    if (left.isNegative() || left.isZero()) {
      return new RunResult.Failed(
          "time limit exceeded before the run started",
          Optional.of(Settings.Env.SCRIPT_TIME_LIMIT_MS));
    }
    long deadline = System.nanoTime() + left.toNanos();
    return factory.call(
        cx -> {
          SandboxContextFactory.SandboxContext sandbox = (SandboxContextFactory.SandboxContext) cx;
          sandbox.limits(deadline, allocationBudget);
          RunSession session = null;
          try {
            ScriptableObject scope = spares.take(cx);
            session = new RunSession(cx, scope, request, host, limits, scripts);
            return session.execute();
          } catch (Throwable t) {
            return failure(t, session == null ? new SourcePlaces() : session.places());
          }
        });
  }

  private static RunResult failure(Throwable t) {
    return failure(t, new SourcePlaces());
  }

  /** The failure a throwable ends a run with, its place named in the bot's own files. */
  private static RunResult failure(Throwable t, SourcePlaces places) {
    if (mayBreakTheJvm(t)) {
      int count = FAULTED_IN_PROCESS.incrementAndGet();
      System.err.println(
          "PROCESS UNTRUSTED: a script run ended in " + t + " (" + count + " so far in this"
              + " process), which may have left a class broken for later runs; this process"
              + " should be replaced (README \"When a run does not stop\")");
    }
    if (t instanceof RunAbortedError e && e.storeFailure()) {
      return new RunResult.StoreUnavailable(e.getMessage());
    }
    if (t instanceof RunAbortedError e) {
      return new RunResult.Failed(e.getMessage(), e.limit());
    }
    if (t instanceof CommandNotFoundException e) {
      return new RunResult.Failed(e.getMessage(), Optional.empty());
    }
    if (t instanceof JavaScriptException e) {
      return new RunResult.Failed(
          "uncaught exception: " + thrownText(e.getValue()) + thrownWhere(e, places), Optional.empty());
    }
    if (t instanceof EcmaError e) {
      return new RunResult.Failed(
          cap(e.getName() + ": " + e.getErrorMessage()) + where(e, places), Optional.empty());
    }
    if (t instanceof EvaluatorException e) {
      String line = e.lineSource() == null ? "" : ": " + cap(e.lineSource());
      return new RunResult.Failed(
          "syntax error: " + cap(e.details()) + where(e, places) + line, Optional.empty());
    }
    if (t instanceof RhinoException e) {
      return new RunResult.Failed("script engine error: " + cap(e.details()), Optional.empty());
    }
    if (t instanceof StackOverflowError) {
      return new RunResult.Failed("stack overflow: recursion too deep", Optional.of(STACK_LIMIT));
    }
    if (t instanceof OutOfMemoryError) {
      return new RunResult.Failed(
          "out of memory: the run allocated too much", Optional.of(MEMORY_LIMIT));
    }
    // A fault of the engine's own on this code (Rhino fails with a Java exception on some calls
    // with missing arguments or odd receivers): the operator's log gets the Java exception, the
    // bot's error log only what the owner can act on.
    System.err.println("script engine fault: " + t);
    return new RunResult.Failed(
        "script runtime failure: the script engine failed on a call in this code (not a JavaScript"
            + " error: a call with missing arguments or an odd receiver may cause it)",
        Optional.empty());
  }

  /**
   * Where an uncaught error was made: its own {@code fileName} and {@code lineNumber} when it is
   * an error object (a chain rethrows what the command threw), else where it was thrown.
   */
  private static String thrownWhere(JavaScriptException e, SourcePlaces places) {
    if (e.getValue() instanceof ScriptableObject obj
        && dataValue(obj, "fileName") instanceof CharSequence file
        && dataValue(obj, "lineNumber") instanceof Number line) {
      return cap(places.where(file.toString(), line.intValue()));
    }
    return where(e, places);
  }

  private static String where(RhinoException e, SourcePlaces places) {
    return cap(places.where(e.sourceName(), e.lineNumber()));
  }

  /**
   * What a script threw, as text, without running script code: an error's name and message
   * when they are plain strings, a primitive's own text, otherwise a fixed placeholder.
   */
  private static String thrownText(Object value) {
    if (value instanceof CharSequence cs) {
      return cs.length() > MAX_ERROR_CHARS
          ? cs.subSequence(0, MAX_ERROR_CHARS) + "..."
          : cs.toString();
    }
    if (value instanceof Number || value instanceof Boolean || value == null) {
      return String.valueOf(value);
    }
    if (value instanceof ScriptableObject obj) {
      Object name = dataProperty(obj, "name");
      Object message = dataProperty(obj, "message");
      if (message instanceof CharSequence m) {
        String prefix = name instanceof CharSequence n ? thrownText(n) + ": " : "Error: ";
        return prefix + thrownText(m);
      }
      return "[object " + obj.getClassName() + "]";
    }
    return "[value]";
  }

  /**
   * A property's value if it is a plain data property of an ordinary object or error (own or
   * inherited); never a getter, a proxy trap or anything else that runs script code.
   */
  private static Object dataProperty(ScriptableObject obj, String name) {
    Scriptable current = obj;
    for (int i = 0; i < 32 && current instanceof ScriptableObject so; i++) {
      String cls = so.getClass().getName();
      if (!cls.equals("org.mozilla.javascript.NativeError")
          && !cls.equals("org.mozilla.javascript.NativeObject")) {
        return null;
      }
      if (so.has(name, so)) {
        if (so.getGetterOrSetter(name, 0, false) instanceof Callable
            || so.getGetterOrSetter(name, 0, true) instanceof Callable) {
          return null;
        }
        Object v = so.get(name, so);
        return v instanceof CharSequence ? v : null;
      }
      current = so.getPrototype();
    }
    return null;
  }

  /** {@link #dataProperty}, for a string or a number. */
  private static Object dataValue(ScriptableObject obj, String name) {
    Scriptable current = obj;
    for (int i = 0; i < 32 && current instanceof ScriptableObject so; i++) {
      if (!so.getClass().getName().equals("org.mozilla.javascript.NativeError")) {
        return null;
      }
      if (so.has(name, so)) {
        if (so.getGetterOrSetter(name, 0, false) instanceof Callable) {
          return null;
        }
        Object v = so.get(name, so);
        return v instanceof CharSequence || v instanceof Number ? v : null;
      }
      current = so.getPrototype();
    }
    return null;
  }

  private static String cap(String text) {
    if (text == null) {
      return "";
    }
    return text.length() > MAX_ERROR_CHARS ? text.substring(0, MAX_ERROR_CHARS) + "..." : text;
  }
}
