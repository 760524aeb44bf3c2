/**
 * The script runtime: runs bot commands (Bots.Business "BJS") in a sandboxed Rhino engine. This is
 * the only package that imports Rhino.
 *
 * <h2>Layout</h2>
 *
 * <p>{@link dev.botwebhooks.script.RhinoScriptRuntime} runs a request on a watchdog worker in a
 * fresh sandbox scope ({@code Sandbox}, made ahead of the run by {@code SpareScopes});
 * {@code RunSession} is one run's state (what it sent, rendered and deferred) and globals. Each
 * script namespace is its own class, made per run: {@code BotNamespace},
 * {@code UserNamespace} (both with {@code PropertyCalls}), {@code Messages} (messages,
 * {@code inspect} and the {@code Api} recorder), {@code LibsNamespace}, {@code WebAppNamespace}
 * and {@code NestedRuns} ({@code Bot.runCommand}, {@code Bot.run}). {@code PropertyCodec}
 * converts typed properties, {@code RunBudget} counts runs, messages and depth, and
 * {@code BoundedText} reads a script value as text within a bound it names. A new script call is
 * one method in the namespace's class.
 *
 * <h2>Threat model</h2>
 *
 * <p>An attacker controls the text of a command (and of {@code @}/{@code @@} and the bot's
 * libraries), its {@code content}, and the HTTP requests that hit its hooks. One warm process runs
 * the commands of many bots, one after another. The attacker must not:
 *
 * <ul>
 *   <li><b>reach Java</b>: only {@code initSafeStandardObjects} are defined (no {@code Packages},
 *       {@code java}, {@code JavaImporter}, {@code JavaAdapter}, {@code getClass}), minus
 *       {@code Continuation}, {@code Script}, {@code JavaException}, the typed arrays,
 *       {@code uneval}/{@code toSource} and the hidden {@code __GeneratorFunction}; lazily loaded
 *       constructors are resolved before the run, so no property descriptor can show Rhino's
 *       placeholder object; the class
 *       shutter denies every class, so no route to LiveConnect works even if one is found;
 *       enhanced Java access is off, so caught errors carry no {@code javaException} or
 *       {@code rhinoException}; E4X is off; the host API is made of plain JS functions and objects
 *       that take and return only JS values (converted to and from JSON trees here), so
 *       {@code __proto__}/{@code constructor} chains from them end at the run's own standard
 *       objects. Code runs interpreted: no classes are generated.
 *   <li><b>touch another bot or user</b>: the bot comes from the trusted request, and the
 *       {@link dev.botwebhooks.core.RunHost} given for the run is bound to it; {@code User.*}
 *       uses the hook's user only; a script can name a user only where the API allows one (a
 *       user of the same bot, validated by the host). Globals a script rewrites ({@code user},
 *       {@code bot}) are never read back for identity.
 *   <li><b>leave anything behind</b>: every run gets a new context and a new set of standard
 *       objects, globals and host objects, so nothing it does to {@code Object.prototype},
 *       {@code Array}, {@code JSON}, {@code Math.random}, {@code RegExp} statics (kept per
 *       context) or the API objects is visible to a later run. Promise jobs run inside the run,
 *       under its deadline; the microtask queue belongs to the run's context and is dropped with
 *       it. There are no timers. Compiled code is shared between runs of the same command, except
 *       bodies that may contain tagged templates (Rhino caches their call-site arrays inside the
 *       compiled code), which are compiled per run. Two pieces of Rhino's state belong to the
 *       JVM, not to a scope, and are replaced per run: the {@code Symbol.for} registry
 *       ({@code SymbolRegistry}) and the generator behind {@code Math.random} ({@code RunRandom}),
 *       whose numbers would let one run predict another's.
 *   <li><b>outlast its limits</b>: the context factory checks an absolute deadline (and the
 *       thread's allocation budget) every few thousand instructions; past it, it throws an
 *       {@link java.lang.Error} subclass, for which Rhino runs neither {@code catch} nor
 *       {@code finally}, and throws it again at every later check and host call. Built-ins that
 *       loop or allocate in proportion to a number the script controls without running script
 *       code are guarded (BuiltinGuards), and every step of a built-in iterator ticks the check,
 *       since {@code new Set(a)}, {@code Promise.all(a)} and spread drive iterators from Java;
 *       strings have a maximum length (the project's copy of Rhino's {@code ConsString}, in
 *       {@code src/rhino-patch}), so {@code s += s} cannot build a string whose first read
 *       flattens for seconds; BigInt (whose single operations can run for seconds
 *       inside {@code BigInteger}) is removed and its literals refused at compile time; every
 *       promise job checks the deadline before it runs (Rhino counts instructions only at jumps).
 *       Nothing relies on
 *       {@code Thread.stop}; the run's own thread returns. Every call into script code ticks
 *       the check where the interpreter enters it (a debugger frame's {@code onEnter}), so script
 *       called from Java (iterators, getters, {@code toJSON}, replacers, comparators, promise
 *       jobs) is counted too; native work is charged against the deadline by
 *       {@link dev.botwebhooks.script.NativeCost} before it runs, or done by the project's own
 *       implementation that checks as it goes (chunked search, case mapping, stringify). As a
 *       last bound, each run executes on a worker thread
 *       ({@link dev.botwebhooks.script.RunWatchdog}) whose caller gives up one second past the
 *       deadline: a run stuck where no check reaches it is abandoned, its host fenced off and its
 *       result dropped, so the answer is still on time; the process is then no longer trusted
 *       (README "When a run does not stop").
 *   <li><b>exhaust memory or stack</b>: interpreted stack depth is capped, and so is the nesting
 *       of script frames entered from Java (callbacks, getters), far from the end of the worker's
 *       stack, since an overflow inside a JDK class's initialisation or a call site's linking
 *       would break it for every later run; the compilers' recursions are capped before they
 *       start (syntax trees by {@link dev.botwebhooks.script.SourceChecks}, regular expressions'
 *       nesting by {@link dev.botwebhooks.script.RhinoHookChecks}); a deeper Java recursion ends in a
 *       {@link java.lang.StackOverflowError}, and a huge allocation in
 *       an {@link java.lang.OutOfMemoryError}, both caught and turned into a failed run (neither
 *       can be caught by script code); the allocation budget stops growth before the heap fills.
 *       The error log names the limit: {@code SCRIPT_MEMORY} for the allocation budget and an
 *       out-of-memory error, {@code SCRIPT_STACK} for a stack overflow (both fixed, not
 *       configurable). A run may keep 128 MiB: data surviving collections may grow by that much
 *       while it runs. The budget counts every byte the run's thread allocates, garbage too, so
 *       when a run passes it while the heap held less than 60% of its maximum after the last
 *       collection (the run allocated and dropped as it went) it goes on for another budget; past
 *       it with more data surviving collections, it ends. Either limit is confirmed on a
 *       collection of the whole heap before the run ends ({@link dev.botwebhooks.script.HeapWatch}).
 *   <li><b>flood</b>: messages, message size, property size, nested and chained runs are capped
 *       (README "Security and limits"); texts the host keeps (rendered pages, JSON) are capped too,
 *       and everything one run keeps counts against one byte budget, {@code MAX_OUTBOX_BYTES}
 *       ({@link dev.botwebhooks.script.RunBudget}).
 *   <li><b>forge the answer</b>: every text the host keeps was converted here, in Java, from JS
 *       values (strings measured before they are flattened; other values through ToString under
 *       the deadline); JSON is written by {@link dev.botwebhooks.script.JsonText}, never by the
 *       script's {@code JSON} or {@code toString}; a lone surrogate is written as its escape, so
 *       the text survives UTF-8.
 * </ul>
 *
 * <p>Cost: a fresh standard scope with its guards takes roughly 0.1-0.2 ms on a warm JVM (measured
 * over 500 runs: about 115 us for the safe standard objects, 80 us for the guards), and a whole
 * warm run of a one-line command about 0.3 ms, so isolation per run is kept; the scope is made
 * ahead, off the hit's path, each one handed to one run only.
 *
 * <p>A failure of the sandbox itself (an internal Rhino exception, an error from the JVM) is a
 * failed run with the cause in its message; {@link dev.botwebhooks.script.RhinoScriptRuntime#run}
 * never throws.
 */
package dev.botwebhooks.script;
