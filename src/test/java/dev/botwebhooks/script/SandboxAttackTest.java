package dev.botwebhooks.script;

import static dev.botwebhooks.script.Runs.cmd;
import static dev.botwebhooks.script.Runs.code;
import static dev.botwebhooks.script.Runs.request;
import static dev.botwebhooks.script.Runs.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.botwebhooks.core.MintRequest;
import dev.botwebhooks.core.PropertyType;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.core.RunHost;
import dev.botwebhooks.core.RunResult;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One attack per bullet of the threat model in package-info; after each, a command of another
 * bot must see intact standard objects and its own data.
 */
// A regression that hangs a run must fail the test, not hang the build.
@Timeout(30)
class SandboxAttackTest {
  private static final long TIME = 400;
  private static final String TIME_LIMIT = "SCRIPT_TIME_LIMIT_MS";

  /** The canary: true for every standard object it checks, then its own property. */
  private static final String CANARY =
      """
      var checks = [typeof Object.prototype.polluted === 'undefined',
        [1, 2, 3].map(x => x * 2).join() === '2,4,6',
        JSON.stringify({a: [1, 'b']}) === '{"a":[1,"b"]}',
        JSON.parse('[1]')[0] === 1,
        Math.random() !== 4 && typeof Math.random() === 'number',
        RegExp.$1 === '',
        typeof globalLeak === 'undefined',
        ' x '.trim() === 'x',
        Object.isFrozen(Object.prototype) === false,
        Array.isArray([]) && typeof Array.prototype.indexOf === 'function',
        typeof Bot.sendMessage === 'function' && !Object.prototype.hasOwnProperty.call(Bot, 'mark'),
        String(1) === '1' && (5).toString() === '5',
        typeof Promise === 'function' && typeof Packages === 'undefined',
        Bot.getProperty('canary') === 'mine'];
      Bot.sendMessage(checks.join());
      """;

  private final RhinoScriptRuntime runtime =
      new RhinoScriptRuntime(Runs.limits(TIME), 64L << 20);

  /** The watchdog is the last bound, never the one that ends an attack. */
  @org.junit.jupiter.api.AfterEach
  void noRunWasAbandoned() {
    assertThat(runtime.abandonedRuns()).as("runs abandoned past their deadline").isZero();
  }

  private RunResult attack(String source) {
    return attack(source, new MapRunHost());
  }

  /** Runs an attack; it must end on its own (no run abandoned) and leave the canary intact. */
  private RunResult attack(String source, RunHost host) {
    return attack(source, host, TIME);
  }

  private RunResult attack(String source, RunHost host, long timeMs) {
    RunResult result = runtime.run(request(code("evil", cmd("/x", source)), "/x", timeMs), host);
    assertThat(runtime.abandonedRuns()).as("runs abandoned by the watchdog").isZero();
    assertCanaryClean();
    return result;
  }

  private void assertCanaryClean() {
    MapRunHost own = new MapRunHost();
    own.properties.put("bot:canary", new PropertyValue(PropertyType.STRING, new TextNode("mine")));
    RunResult canary = runtime.run(request(code("good", cmd("/c", CANARY)), "/c", 2_000), own);
    assertThat(texts(canary)).containsExactly(String.join(",", java.util.Collections.nCopies(14, "true")));
  }

  private static void assertFailed(RunResult result, String limit) {
    assertThat(result).isInstanceOf(RunResult.Failed.class);
    assertThat(((RunResult.Failed) result).limit()).isEqualTo(Optional.ofNullable(limit));
  }

  /**
   * The run failed for one of the given reasons (separated by {@code |}): each is the limit the
   * error log names, or a part of the error's message. A guard switched off changes the reason (to
   * another error, or the time limit), so the test fails.
   */
  private static void assertFailedFor(RunResult result, String reasons) {
    assertThat(result).isInstanceOf(RunResult.Failed.class);
    RunResult.Failed failed = (RunResult.Failed) result;
    assertThat(List.of(reasons.split("\\|")))
        .as("reasons expected for: %s", failed)
        .anyMatch(r -> failed.limit().equals(Optional.of(r)) || failed.message().contains(r));
  }

  // ---- reach Java ---------------------------------------------------------------------------

  @ParameterizedTest
  @CsvSource(
      delimiter = '~',
      quoteCharacter = '`',
      textBlock =
          """
          Packages.java.lang.System.exit(1)                      ~ "Packages" is not defined
          java.lang.Runtime.getRuntime().exec('id')              ~ "java" is not defined
          getClass(Bot)                                          ~ "getClass" is not defined
          new JavaImporter(java.io)                              ~ "JavaImporter" is not defined
          new JavaAdapter(java.lang.Runnable, {})                ~ "JavaAdapter" is not defined
          new Continuation()                                     ~ "Continuation" is not defined
          new Script('1')                                        ~ "Script" is not defined
          Bot.sendMessage.getClass().forName('java.lang.System') ~ Cannot find function getClass
          Bot.sendMessage.__parent__.Packages.java               ~ from undefined
          CryptoJS.SHA256('a').getClass()                        ~ Cannot find function getClass
          var x = <x/>;                                          ~ syntax error
          """)
  void reachJava_isRefused(String source, String reason) {
    assertFailedFor(attack(source), reason);
  }

  @Test
  void reachJava_caughtErrorsCarryNoJavaObjects() {
    RunResult r =
        attack(
            """
            var out = [];
            try { null.x } catch (e) { out.push(typeof e.javaException, typeof e.rhinoException) }
            try { Bot.setProperty() } catch (e) { out.push(typeof e.javaException) }
            var names = Object.getOwnPropertyNames(this).filter(n => /^(Packages|java|\
            javax|JavaImporter|JavaAdapter|getClass|Continuation|Script|JavaException)$/.test(n));
            out.push(names.length, typeof CryptoJS.SHA256('a').bytes,
              Object.getPrototypeOf(Object.getPrototypeOf(Bot)), typeof Bot.sendMessage.__parent__,
              Bot.sendMessage.constructor === Function);
            Bot.sendMessage(out.join());
            """);
    assertThat(texts(r))
        .containsExactly("undefined,undefined,undefined,0,undefined,,undefined,true");
  }

  // ---- another bot or user ------------------------------------------------------------------

  @Test
  void identity_comesFromTheRequestNotFromGlobals() {
    MapRunHost evilHost = new MapRunHost();
    RunResult r =
        attack(
            "user = {id: 1}; bot = {id: 'good'}; Bot.setProperty('canary', 'stolen');"
                + "User.setProperty('x', 1);",
            evilHost);
    assertThat(r).isInstanceOf(RunResult.Completed.class);
    assertThat(evilHost.properties).containsKeys("bot:canary", "user:42:x");
    assertThat(evilHost.properties).doesNotContainKey("user:1:x");
  }

  // ---- leave anything behind ----------------------------------------------------------------

  @Test
  void leftovers_pollutionIsNotSeenByNextRun() {
    RunResult r =
        attack(
            """
            Object.prototype.polluted = 1; Array.prototype.map = null; JSON.stringify = () => 'x';
            JSON.parse = null; Math.random = () => 4; /(a)/.exec('a'); globalLeak = 1;
            String.prototype.trim = null; Bot.mark = 1; Array.prototype.indexOf = 5;
            Number.prototype.toString = () => 'n'; Promise = null; Array.isArray = null;
            Object.defineProperty(Object.prototype, 'getProperty', {get() { while (1) {} }});
            Object.freeze(Object.prototype); Bot.sendMessage('done');
            """);
    assertThat(texts(r)).containsExactly("done");
  }

  @Test
  void leftovers_endlessPromiseJobsEndWithTheRun() {
    // Ends at the bound on promise jobs, long before its chain fills the heap.
    assertFailedFor(
        attack("Promise.resolve().then(function loop() { return Promise.resolve().then(loop) });"),
        RhinoScriptRuntime.PROMISE_JOBS_LIMIT);
    assertFailedFor(
        attack("(function loop() { Promise.resolve().then(loop) })()"),
        RhinoScriptRuntime.PROMISE_JOBS_LIMIT);
  }

  @Test
  void limits_catastrophicRegexEnds() {
    assertFailed(attack("/^(a+)+$/.test('a'.repeat(40) + 'b')"), TIME_LIMIT);
  }

  @Test
  void leftovers_pendingPromiseJobIsDroppedWhenRunFails() {
    assertFailedFor(
        attack("Promise.resolve().then(() => { globalLeak = 1; Object.prototype.polluted = 1 });"
            + "throw new Error('stop')"),
        "uncaught exception: Error: stop");
  }

  // ---- outlast limits -----------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(
      strings = {
        "while (true) {}",
        "for (;;) { try { for (;;) {} } catch (e) {} }",
        "try { for (;;) {} } finally { for (;;) {} }",
        "for (;;) { try { for (;;) {} } finally { continue; } }",
        "function f() { try { while (1) {} } catch (e) { f() } } f()",
        "Bot.sendMessage({toString() { while (true) {} }})",
        "var o = {}; Object.defineProperty(o, 'x', {get() { for (;;) {} }, enumerable: true});"
            + " Bot.setProperty('p', o)",
        "new Promise(function r() { for (;;) {} })"
      })
  void limits_loopsEndAtDeadline(String source) {
    assertFailed(attack(source), TIME_LIMIT);
  }

  /** Each is refused by its guard before it starts: the error names the guard's bound. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '~',
      quoteCharacter = '`',
      textBlock =
          """
          var a = []; a.length = 2 ** 32 - 1; a.indexOf(1)         ~ Array method on an array of length 4294967295
          Array.prototype.indexOf.call({length: 2 ** 53 - 1}, 1)   ~ Array method on an array of length 9007199254740991
          Array.prototype.forEach.call({length: 2 ** 53 - 1}, x => x) ~ Array method on an array of length 9007199254740991
          var a = []; a.length = 2 ** 32 - 1; a.join('x')          ~ Array method on an array of length 4294967295
          var a = []; a.length = 2 ** 32 - 1; String(a)            ~ Array method on an array of length 4294967295
          var a = []; a.length = 2 ** 32 - 1; a.sort()             ~ Array method on an array of length 4294967295
          Array.from({length: 2 ** 32 - 1})                        ~ Array.from on an array of length 4294967295
          'x'.repeat(1 << 28)                                      ~ String.prototype.repeat result of 268435456 characters
          'x'.padStart(1 << 30)                                    ~ padStart/padEnd result of 1073741824 characters
          'x'.padEnd(2 ** 31 - 1, 'ab')                            ~ padStart/padEnd result of 2147483647 characters
          JSON.parse('['.repeat(100000))                           ~ JSON.parse of text nested deeper than 1000
          Math.max.apply(null, {length: 1e9})                      ~ apply on an array of length 1000000000
          Reflect.apply(Math.max, null, {length: 1e9})             ~ Reflect.apply on an array of length 1000000000
          var s = 'x;'; for (var i = 0; i < 21; i++) s += s; eval(s) ~ eval of 4194304 characters
          var s = 'x;'; for (var i = 0; i < 21; i++) s += s; Function(s) ~ Function source of 4194304 characters
          var s = 'x;'; for (var i = 0; i < 21; i++) s += s; (function(){}).constructor(s) ~ Function source of 4194304 characters
          'ab'.replace(/b/g, 'x'.repeat(1 << 22)).replace(/x/g, 'y'.repeat(1 << 22)) ~ String.prototype.replace result of
          var a = []; a.length = 1 << 20; var b = []; for (var i = 0; i < 64; i++) b.push(a); [].concat.apply([], b) ~ Array method over arrays of total length 1048577
          var a = []; a.length = 1 << 20; var b = []; for (var i = 0; i < 64; i++) b.push(a); b.flat() ~ Array method over arrays of total length 1048577
          var x = 3n ** 30000000n                                  ~ BigInt is not available in webhook commands (chain
          eval('3n ** 30000000n')                                  ~ BigInt is not available in webhook commands (eval)
          Function('return 3n ** 30000000n')()                     ~ BigInt is not available in webhook commands (Function)
          Function('a', 'b', 'return a + b + 1n')                  ~ BigInt is not available in webhook commands (Function)
          new Function('return 3n ** 30000000n')()                 ~ BigInt is not available in webhook commands (Function)
          Reflect.construct(Function, ['return 3n ** 30000000n'])() ~ BigInt is not available in webhook commands (Function)
          BigInt(3) ** BigInt(30000000)                            ~ "BigInt" is not defined
          [].concat({length: 2**53-1, [Symbol.isConcatSpreadable]: true}) ~ Array method argument on an array of length 9007199254740991
          Object.defineProperties({}, 'x'.repeat(70000).split('')) ~ Object.defineProperties with more than 65536 properties
          Object.create(null, 'x'.repeat(70000).split(''))         ~ Object.create with more than 65536 properties
          """)
  void limits_builtinsWithHugeSizesAreRefused(String source, String reason) {
    assertFailedFor(attack(source), reason);
  }

  /**
   * A DAG that doubles at each level: stringify counts and prices the values as it writes them
   * (README "Native work and the deadline") and refuses it with a RangeError; the run gets more
   * time than the stringify itself could ever finish in.
   */
  @Test
  void limits_stringifyOfADagIsRefused() {
    assertFailedFor(
        attack(
            "var o = {}; for (var i = 0; i < 40; i++) o = {a: o, b: o}; JSON.stringify(o)",
            new MapRunHost(),
            5_000),
        "JSON.stringify of");
  }

  /**
   * A generic Array method, Array.from or Object.keys walks a long array in one Java call, past
   * every check (a sparse one of 2^20 elements took up to 0.86 s): a walk that cannot fit the time
   * left is refused (README "Native work and the deadline"), however much time the run had.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '~',
      quoteCharacter = '`',
      textBlock =
          """
          new Array(1 << 20).fill(0)                                  ~ Array.prototype.fill of 1048576 elements does not fit
          var a = []; a.length = 1 << 20; a.reverse()                 ~ Array.prototype.reverse of 1048576 elements does not fit
          var a = []; a.length = 1 << 20; a.toReversed()              ~ Array.prototype.toReversed of 1048576 elements does not fit
          var a = []; a.length = 1 << 20; a.shift()                   ~ Array.prototype.shift of 1048576 elements does not fit
          var a = []; a.length = 1 << 20; a.splice(0, 0, 1)           ~ Array.prototype.splice of 1048576 elements does not fit
          var a = []; a.length = 1 << 20; a.indexOf(1)                ~ Array.prototype.indexOf of 1048576 elements does not fit
          var a = []; a.length = 1 << 20; a.slice()                   ~ Array.prototype.slice of 1048576 elements does not fit
          var a = []; a.length = 1 << 20; a.slice(-600000, -1)        ~ Array.prototype.slice of 599999 elements does not fit
          var a = []; a.length = 1 << 20; a.slice({valueOf() { return 1 }}) ~ Array.prototype.slice of 1048576 elements does not fit
          var a = []; a.length = 1 << 19; [].concat(a, a)             ~ Array.prototype.concat of 1048576 elements does not fit
          var a = []; a.length = 1 << 20; String(a)                   ~ Array.prototype.toString of 1048576 elements does not fit
          Array.from({length: 1 << 20})                               ~ Array.from of 1048576 elements does not fit
          var a = []; a.length = 1 << 20; Object.keys(a)              ~ Object.keys of 1048576 elements does not fit
          var a = []; a.length = 1 << 20; Object.freeze(a)            ~ Object.freeze of 1048576 elements does not fit
          var a = []; a.length = 1 << 20; Reflect.ownKeys(a)          ~ Reflect.ownKeys of 1048576 elements does not fit
          var a = []; a.length = 1 << 18; var t = Date.now() + 400; while (Date.now() < t) {} a.fill(0) ~ Array.prototype.fill of 262144 elements does not fit|SCRIPT_TIME_LIMIT_MS
          """)
  void limits_longWalksThatCannotFitTheTimeLeftAreRefused(String source, String reasons) {
    assertFailedFor(attack(source, new MapRunHost(), 500), reasons);
  }

  /**
   * Walks that fit the time left run as usual; a slice is charged for the range it copies, so
   * short slices of a long array fit where a walk of the whole would not.
   */
  @Test
  void limits_walksThatFitRun() {
    RunResult r =
        attack(
            "var a = new Array(1 << 12).fill(1); var o = {x: 1, y: 2}, b = []; b.length = 1 << 20;"
                + " var n = 0; for (var i = 0; i < 1000; i++) n += b.slice(i, i + 10).length;"
                + " Bot.sendMessage(n + ' ' + b.slice(-5).length + ' ' + b.slice(5, 2).length);"
                + " Bot.sendMessage([a.reverse().toReversed().slice(1).length, a.indexOf(1),"
                + " Array.from(a).length, Object.keys(a).length, Object.keys(o).join(),"
                + " Object.assign({}, o, a).x, a.concat(a).length, Reflect.ownKeys(o).join(),"
                + " Object.isFrozen(Object.freeze(a)), Object.isSealed(Object.seal(o))].join(' '))",
            new MapRunHost(),
            500);
    assertThat(texts(r)).containsExactly("10000 5 0", "4095 0 4096 4096 x,y 1 8192 x,y true true");
  }

  /**
   * Function turns each argument into text once, and compiles the text it checked: a body whose
   * toString answers a harmless source first and a BigInt or a huge source later is compiled as
   * the harmless one (before, the guard read it twice and Function a third time, and the run was
   * abandoned past its deadline).
   */
  @Test
  void limits_functionCompilesTheSourceItChecked() {
    RunResult r =
        attack(
            "var big = '1;'; for (var i = 0; i < 24; i++) big += big; var n = 0;"
                + " var body = {toString() { return n++ < 2 ? 'return 1' : 'return 3n ** 30000000n' }};"
                + " var huge = {toString() { return n++ < 4 ? 'return 2' : big }};"
                + " var f = Function(body), g = new Function(body), h = Function(huge);"
                + " Bot.sendMessage(n + ' ' + f() + ' ' + g() + ' ' + h());",
            new MapRunHost(),
            2_000);
    assertThat(texts(r)).containsExactly("3 1 1 2");
  }

  /**
   * A for-in over a string lists one key per character in one Java call (a string of 2^25
   * characters, cheap to build by doubling, took 0.5 to 1.1 s and the watchdog abandoned the run
   * when it began near the deadline; here 2^24): a string with more keys than {@code Object.keys} may list
   * is refused, however it reaches the loop, and a run that starts it near its deadline ends at
   * the refusal, not past the watchdog.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '~',
      quoteCharacter = '`',
      textBlock =
          """
          for (var k in s) { Bot.sendMessage(k); break; }
          for (var k in new String(s)) { Bot.sendMessage(k); break; }
          var w = new String(s); Object.setPrototypeOf(w, null); for (var k in w) { Bot.sendMessage(k); break; }
          while (Date.now() < t0 + 900) {} for (var k in s) { Bot.sendMessage(k); break; }
          for each (var c in s) { Bot.sendMessage(c); break; }
          """)
  void limits_forInOverAHugeStringIsRefused(String loop) {
    String doubled =
        "var t0 = Date.now(), s = 'x'; for (var i = 0; i < 24; i++) s += s; ";
    RunResult r = attack(doubled + loop, new MapRunHost(), 1_000);
    assertFailedFor(
        r,
        "listing the keys of a string of 16777216 characters (more than 1048576, as a for-in"
            + " loop does) is too large");
  }

  /** A for-in over a string of up to 2^20 characters lists its keys as before. */
  @Test
  void limits_forInOverAStringThatFitsRuns() {
    RunResult r =
        attack(
            "var n = 0, last; for (var k in 'x'.repeat(1 << 20)) { n++; last = k; }"
                + " var keys = []; for (var k in 'abc') keys.push(k);"
                + " Bot.sendMessage(n + ' ' + last + ' ' + keys.join());",
            new MapRunHost(),
            5_000);
    assertThat(texts(r)).containsExactly("1048576 1048575 0,1,2");
  }

  /** Rhino's non-standard Array generics walk arrays past the prototype's guards: none is left. */
  @Test
  void limits_arrayConstructorHasOnlyStandardFunctions() {
    RunResult r =
        attack(
            "Bot.sendMessage(Object.getOwnPropertyNames(Array)"
                + ".filter(k => typeof Array[k] === 'function').sort().join())");
    assertThat(texts(r)).containsExactly("from,isArray,of");
  }

  /**
   * A sort without a comparator orders as the standard one does (texts by UTF-16 code units,
   * undefined and holes last), and a run of such sorts ends by its deadline: refused when the
   * time left cannot fit another, or stopped by the check each comparison ticks.
   */
  @Test
  void limits_defaultSortOrdersByTextAndEndsAtTheDeadline() {
    RunResult sorted =
        attack(
            "var a = [10, 9, 1, undefined, 'b', 'B', , {toString() { return 'a' }}, '\\u00e9',"
                + " '\\ud83d\\ude00', '\\uffff', 2]; var t = a.toSorted(); a.sort();"
                + " Bot.sendMessage(a.map(String).join('|') + ' ' + (10 in a) + (11 in a) + ' '"
                + " + t.map(String).join('|') + ' ' + [3, 1, 2].sort((x, y) => y - x).join())");
    assertThat(texts(sorted))
        .containsExactly(
            "1|10|2|9|B|a|b|\u00e9|\ud83d\ude00|\uffff|undefined| truefalse"
                + " 1|10|2|9|B|a|b|\u00e9|\ud83d\ude00|\uffff|undefined|undefined 3,2,1");
    assertFailedFor(
        attack(
            "var a = new Array(100000).fill(0).map(Math.random); for (;;) a.slice().sort()"),
        TIME_LIMIT + "|does not fit the time left");
  }

  /**
   * Symbol.for registers in a registry of the run's own: Rhino's is one static map of the JVM
   * that nothing empties, so every key a run registered stayed for the life of the process.
   * Within a run, the standard behaviour.
   */
  @Test
  void leftovers_symbolRegistryIsTheRunsOwn() throws Exception {
    int before = rhinoSharedSymbolRegistrySize();
    RunResult r =
        attack(
            "for (var i = 0; i < 1000; i++) Symbol.for('kept-' + i);"
                + " var a = Symbol.for('a'), thrown = '';"
                + " try { Symbol.keyFor('a') } catch (e) { thrown = e.name }"
                + " Bot.sendMessage([a === Symbol.for('a'), a !== Symbol('a'), typeof a,"
                + " a.description, Symbol.keyFor(a), Symbol.keyFor(Symbol('a')),"
                + " Symbol.keyFor(Symbol.iterator), Symbol.for() === Symbol.for('undefined'),"
                + " thrown, ({[a]: 1})[Symbol.for('a')]].join())");
    assertThat(texts(r))
        .containsExactly("true,true,symbol,a,a,,,true,TypeError,1");
    assertThat(rhinoSharedSymbolRegistrySize()).as("keys left in Rhino's JVM-wide registry")
        .isEqualTo(before).isZero();
  }

  /**
   * One run's Math.random tells nothing of another's: a java.util.Random shared by the JVM (what
   * Rhino's calls) gives its whole state away in one number, and the next runs' numbers with it.
   */
  @Test
  void leftovers_mathRandomOfAnotherRunCannotBePredicted() {
    RunResult spy = attack("Bot.sendMessage(String(Math.random()))");
    List<Double> predicted = nextSharedRandoms(Double.parseDouble(texts(spy).get(0)), 50);
    RunResult victim =
        runtime.run(
            request(code("victim", cmd("/draw", "Bot.sendMessage(String(Math.random()))")), "/draw",
                2_000),
            new MapRunHost());
    double drawn = Double.parseDouble(texts(victim).get(0));
    assertThat(drawn).isBetween(0.0, 1.0);
    assertThat(predicted).as("the victim's draw among the numbers predicted from the spy's")
        .doesNotContain(drawn);
  }

  /**
   * The numbers a java.util.Random gives after the one that gave {@code seen} (its nextDouble is
   * 26 bits of one state and 27 of the next; the 22 bits the first leaves out are searched), or
   * none when no state gives it.
   */
  private static List<Double> nextSharedRandoms(double seen, int count) {
    long bits = (long) (seen * 0x1.0p53);
    long high = bits >>> 27;
    long low = bits & ((1L << 27) - 1);
    for (long guess = 0; guess < (1L << 22); guess++) {
      long state = (high << 22) | guess;
      long next = (state * 0x5DEECE66DL + 0xBL) & ((1L << 48) - 1);
      if ((next >>> 21) == low) {
        java.util.Random replay = new java.util.Random(next ^ 0x5DEECE66DL);
        List<Double> out = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
          out.add(replay.nextDouble());
        }
        return out;
      }
    }
    return List.of();
  }

  private static int rhinoSharedSymbolRegistrySize() throws ReflectiveOperationException {
    java.lang.reflect.Field map =
        org.mozilla.javascript.NativeSymbol.class.getDeclaredField("globalMap");
    map.setAccessible(true);
    return ((java.util.Map<?, ?>) map.get(null)).size();
  }

  // ---- memory and stack ---------------------------------------------------------------------

  /**
   * Recursion ends at the interpreter's depth cap or the stack (recursion through Java built-ins
   * may reach the deadline first on a slow machine); growth at the allocation budget or the
   * deadline (a fill refused just before it, as no longer fitting, is caught and the loop goes on);
   * doubling a string at its maximum length.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '~',
      quoteCharacter = '`',
      textBlock =
          """
          function f() { f() } f()                                    ~ Exceeded maximum stack depth
          function f() { [0].forEach(f) } f()                         ~ SCRIPT_STACK|SCRIPT_TIME_LIMIT_MS
          function f() { return JSON.parse('[1]', f) } f()            ~ SCRIPT_STACK|SCRIPT_TIME_LIMIT_MS
          var a = []; while (true) try { a.push(new Array(1000).fill('x')) } catch (e) {} ~ SCRIPT_MEMORY|SCRIPT_TIME_LIMIT_MS
          var s = 'x'; for (var i = 0; i < 26; i++) s += s; s.indexOf('y') ~ Invalid string length: 67108864
          var s = 'x'; while (true) s += s;                           ~ Invalid string length: 67108864
          var a = {}; for (var i = 0; ; i++) a['k' + i] = i;          ~ SCRIPT_MEMORY|SCRIPT_TIME_LIMIT_MS
          """)
  void memory_exhaustionEndsTheRun(String source, String reason) {
    assertFailedFor(attack(source), reason);
  }

  /**
   * A template page is bounded as it is built: forty copies of a 2^24-character option took the
   * whole heap (an OutOfMemoryError, which any thread of the process may meet) before the page's
   * size was checked.
   */
  @Test
  void memory_aTemplatePageIsBoundedAsItIsBuilt() {
    RunResult r =
        runtime.run(
            request(
                code(
                    "evil",
                    cmd(
                        "/x",
                        "var s = 'x'; while (s.length < (1 << 24)) s += s;"
                            + " WebApp.render({template: 'index.html', options: {s: s}})"),
                    cmd("index.html", "<%options.s%>".repeat(40))),
                "/x",
                3_000),
            new MapRunHost());
    assertFailedFor(r, "WebApp.render: content longer than " + ScriptArgs.MAX_TEXT_CHARS);
    assertCanaryClean();
  }

  /**
   * Loops of Rhino's that run in Java over a size the script chose, with no script code between
   * their steps: reading numbers from long texts (each conversion of 2^23 digits took 10 to 50
   * ms, and a sort whose comparator is a built-in, or a plain loop, fitted thousands between two
   * checks) and the captures of an exec result's fake length. Each run ends on its own, refused
   * or at its deadline, never abandoned.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '~',
      quoteCharacter = '`',
      textBlock =
          """
          var s = '1'.repeat(1 << 23), n = 0; while (true) { n += +s > 0 ? 1 : 0 }  ~ reading a number from a text of 8388608 characters
          var s = '1'.repeat(1 << 23); new Array(128).fill(s).sort(Math.atan2)     ~ reading a number from a text of 8388608 characters
          var s = '1'.repeat(20000); new Array(100000).fill(s).filter(isNaN)       ~ reading a number from a text of 20000 characters|Array.prototype.fill of 100000|SCRIPT_TIME_LIMIT_MS
          var s = '1'.repeat(1 << 23), o = { toString() { return s } }; for (;;) parseFloat(o) + parseInt(o) ~ reading a number from a text of 8388608 characters
          var r = /a/; r.exec = function () { return { index: 1e9, length: 1e9, 0: 'x' } }; 'aaa'.replace(r, 'b') ~ a regular expression result of length 1000000000
          var r = /a/; r.constructor = { [Symbol.species]: function () { return { lastIndex: 0, flags: 'y', exec() { this.lastIndex = 1; return { length: 1e9, index: 0, 0: 'a' } } } } }; 'ab'.split(r) ~ a regular expression result of length 1000000000
          RegExp.prototype[Symbol.replace].call({ exec() { return { index: 0, length: 3e8, 0: 'a' } }, flags: '' }, 'aaa', function () { return 'b' }) ~ a regular expression result of length 300000000
          var s = 'a'; while (s.length < (1 << 24)) s += s; s = s + s.slice(1); var t = s.slice(1) + 'b'; new Array(5000).fill(s).indexOf(t) ~ comparing texts of|SCRIPT_TIME_LIMIT_MS|does not fit the time left
          var s = 'a'; while (s.length < (1 << 24)) s += s; s = s + s.slice(1); var t = s.slice(1) + 'a'; while (true) { s == t; s < t } ~ comparing texts of|SCRIPT_TIME_LIMIT_MS|does not fit the time left
          var b = ' '; while (b.length < (1 << 22)) b += b; new Array(3000).fill(b + 'x').some(Date.parse) ~ reading a date from a text of|SCRIPT_TIME_LIMIT_MS
          Array(100000).fill(0).map(Number.prototype.toString.bind(5e-324, 3))     ~ SCRIPT_TIME_LIMIT_MS
          Array(100000).fill(0).forEach(Function.prototype.call.bind(Number.prototype.toString, 5e-324, 3)) ~ SCRIPT_TIME_LIMIT_MS
          var a = [], b = []; for (var i = 0; i < 200000; i++) a.push(i); Object.preventExtensions(a); for (var j = 0; j < 1000; j++) b.push(a); b.map(Object.isFrozen) ~ Object.isFrozen of 20|SCRIPT_TIME_LIMIT_MS
          var a = []; for (var i = 0; i < 200000; i++) a.push(i); Object.preventExtensions(a); for (;;) Object.isSealed(a) ~ Object.isSealed of 20|SCRIPT_TIME_LIMIT_MS
          var o = {}; for (var i = 0; i < 200000; i++) o['k' + i] = i; for (;;) Object.getOwnPropertySymbols(o) ~ Object.getOwnPropertySymbols of 20|SCRIPT_TIME_LIMIT_MS
          Array.from(Array(100000), Number.prototype.toString.bind(5e-324, 3))     ~ SCRIPT_TIME_LIMIT_MS
          'a'.repeat(100000).replace(/a/g, Number.prototype.toString.bind(5e-324, 3)) ~ SCRIPT_TIME_LIMIT_MS
          JSON.parse('[' + '0,'.repeat(100000) + '0]', Number.prototype.toString.bind(5e-324, 3)) ~ SCRIPT_TIME_LIMIT_MS
          var a = []; for (var i = 0; i < 80000; i++) a.push(i); new Set(a).forEach(Number.prototype.toString.bind(5e-324, 3)) ~ SCRIPT_TIME_LIMIT_MS
          var m = new Map(); for (var i = 0; i < 80000; i++) m.set(i, i); m.forEach(Function.prototype.call.bind(Number.prototype.toString, 5e-324, 3)) ~ SCRIPT_TIME_LIMIT_MS
          var f = Number.prototype.toString.bind(5e-324, 3), o = {}; for (var i = 0; i < 40000; i++) Object.defineProperty(o, 'k' + i, {get: f, enumerable: true}); Object.assign({}, o) ~ SCRIPT_TIME_LIMIT_MS|Object.assign of
          var f = Number.prototype.toString.bind(5e-324, 3), o = {}; for (var i = 0; i < 40000; i++) Object.defineProperty(o, 'k' + i, {get: f, enumerable: true}); var c = {...o} ~ SCRIPT_TIME_LIMIT_MS
          var t = Date.now(); while (Date.now() - t < 300) {} Function('y;'.repeat(520000)) ~ Function source of 1040000 characters does not fit the time left
          var t = Date.now(); while (Date.now() - t < 300) {} eval('y;'.repeat(520000)) ~ eval of 1040000 characters does not fit the time left
          """)
  void time_javaLoopsOverAScriptsSizesEndOnTime(String source, String reason) {
    assertFailedFor(attack(source), reason);
  }

  /**
   * Rhino's CallSite objects answered Java values for other receivers ({@code
   * CallSite.prototype.getFileName.call({})} gave a {@code UniqueTag}) and failed inside the
   * engine for the prototype: the constructor is gone and {@code Error.prepareStackTrace}, the
   * only maker of CallSites, is a plain property the engine never calls.
   */
  @Test
  void escape_noCallSiteIsReachable() {
    assertThat(
            texts(
                attack(
                    "var seen = 'not called';"
                        + " Error.prepareStackTrace = function (e, cs) { seen = typeof cs; return cs[0] };"
                        + " var s = new Error('x').stack;"
                        + " Bot.sendMessage([typeof CallSite, typeof s, seen,"
                        + " typeof Error.prepareStackTrace].join())")))
        .containsExactly("undefined,string,not called,function");
  }

  /**
   * Texts made in Java past the 2^25-character cap that concatenation keeps: the HTML methods
   * (an attribute's quotes written as {@code &quot;}), {@code String.raw}'s parts and
   * substitutions, and an array's text with nested arrays joined into it.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '~',
      quoteCharacter = '`',
      textBlock =
          """
          var q = '"'; for (var i = 0; i < 23; i++) q += q; q.anchor(q)              ~ String.prototype.anchor result of
          var s = 'x'; for (var i = 0; i < 24; i++) s += s; s.link(s).link(s)          ~ String.prototype.link result of
          var s = 'x'; for (var i = 0; i < 24; i++) s += s; String.raw({ raw: [s, s, s, s] }, s, s, s) ~ String.raw result of
          var s = 'x'; for (var i = 0; i < 24; i++) s += s; [s, s, s].toString()      ~ Array.prototype.toString result of
          var s = 'x'; for (var i = 0; i < 24; i++) s += s; Object.entries({ a: s, b: s }).toString() ~ Array.prototype.toString result of
          var s = 'x'; for (var i = 0; i < 24; i++) s += s; [[s], [[s, s]]].join('')   ~ Array.prototype.join result of
          """)
  void memory_textsMadeInJavaKeepTheStringCap(String source, String reason) {
    assertFailedFor(attack(source), reason);
  }

  /** What those guards let through works as before. */
  @Test
  void memory_textsWithinTheCapAreMade() {
    assertThat(
            texts(
                attack(
                    "var a = [1, 'b', [2, [3, 'c']], true]; a.push(a);"
                        + " Bot.sendMessage(['x'.bold(), 'y'.anchor('\"n\"'),"
                        + " String.raw({ raw: ['a', 'b', 'c'] }, 1, 2), a.toString(), a.join('-')].join('|'))")))
        .containsExactly(
            "<b>x</b>|<a name=\"&quot;n&quot;\">y</a>|a1b2c|1,b,2,3,c,true,"
                + "|1-b-2,3,c-true-1,b,2,3,c,true,");
  }

  /**
   * Rhino fails with a Java exception on some calls (missing arguments, odd receivers): the run
   * fails without a Java class name in what the owner reads.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "try { Reflect.set({}, 'a') } catch (e) {}",
        "try { Error.captureStackTrace() } catch (e) {}",
        "var g = Object.getOwnPropertyDescriptor(Object.prototype, '__proto__').get;"
            + " try { g.call(undefined) } catch (e) {}"
      })
  void escape_engineFaultsNameNoJavaClass(String source) {
    RunResult r = attack(source);
    if (r instanceof RunResult.Failed failed) {
      assertThat(failed.message()).doesNotContain("java.", "org.mozilla", "Exception");
    }
  }

  /** Numbers from texts that fit, and exec results of an exec of the script's own, still work. */
  @Test
  void time_numbersFromLongTextsAndOwnExecResultsStillWork() {
    assertThat(
            texts(
                attack(
                    "var r = /a/; r.exec = function () { return null };"
                        + " var c = /(a)/; c.exec = function (s) { return this.done ? null :"
                        + " (this.done = true, { index: 0, length: 2, 0: 'a', 1: 'A' }) };"
                        + " Bot.sendMessage(['aaa'.replace(r, 'b'), 'abc'.replace(c, '[$1]'),"
                        + " +('1'.repeat(2000)), parseInt('7'.repeat(3000)) > 1e300,"
                        + " parseFloat('2.5' + '0'.repeat(5000)), Math.max('3', '1'.repeat(1100))].join())")))
        .containsExactly("aaa,[A]bc,Infinity,true,2.5,Infinity");
  }

  /**
   * A guard that checks a size (a length, a count, a depth, a text) reads it through script code
   * when the script made it a getter, {@code valueOf} or {@code toString}, and the built-in would
   * read it again: a second answer could be any size. Such a call is refused, however the value
   * is computed; plain values pass.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '~',
      quoteCharacter = '`',
      textBlock =
          """
          var c = 0; Array.prototype.indexOf.call({ get length() { return c++ ? 2 ** 53 - 1 : 0 } }, 1)
          var c = 0; Array.prototype.includes.call({ length: { valueOf() { return c++ ? 2 ** 53 - 1 : 0 } } }, 1)
          var c = 0; Array.prototype.lastIndexOf.call({ get length() { return c++ ? 2 ** 53 - 1 : 0 } }, 1)
          var c = 0; [].concat({ [Symbol.isConcatSpreadable]: true, get length() { return c++ ? 2 ** 32 - 2 : 0 } })
          var c = 0; Array.from({ get length() { return c++ ? 2 ** 32 - 2 : 0 } })
          var c = 0, a = [1]; for (var i = 0; i < 60; i++) a = [a, a]; a.flat({ valueOf() { return c++ ? Infinity : 0 } })
          var c = 0; 'x'.padEnd({ valueOf() { return c++ ? 2 ** 29 : 1 } }, 'ab')
          var c = 0; 'x'.repeat({ valueOf() { return c++ ? 2 ** 30 : 1 } })
          var c = 0; String.raw({ raw: { get length() { return c++ ? 2 ** 31 - 1 : 0 } } })
          var c = 0; String.prototype.toUpperCase.call({ toString() { return c++ ? 'ß'.repeat(1 << 20) : 'x' } })
          """)
  void limits_sizesComputedByScriptCodeAreRefused(String source) {
    RunResult r = attack(source);
    assertFailedFor(r, "script code computes");
  }

  /**
   * A backreference compares its whole capture as one step of Rhino's regexp engine, which checks
   * the deadline once per thousand steps: over a long text such a search is refused, however it
   * is reached.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '~',
      quoteCharacter = '`',
      textBlock =
          """
          /^(a*)\\1b/.test(t)
          /^(a*)\\1b/.exec(t)
          t.match(/^(a*)\\1b/)
          t.search(/^(a*)\\1b/i)
          t.replace(/^(?<x>a*)\\k<x>b/, '')
          t.split(/(a*)\\1b/)
          Array.from(t.matchAll(/(a*)\\1b/g))
          """)
  void limits_backreferencesOverLongTextsAreRefused(String search) {
    RunResult r = attack("var t = 'a'.repeat(1 << 23); t = t + t; " + search);
    assertFailedFor(r, "backreference over 16777216 characters");
  }

  @Test
  void limits_backreferencesOverShortTextsAndLongTextsWithoutThemRun() {
    RunResult r =
        attack(
            "var long = 'a'.repeat(1 << 17); Bot.sendMessage([/(a)\\1/.test('xaay'),"
                + " 'abab'.replace(/(ab)\\1/, 'z'), /^a+$/.test(long), long.search(/b/),"
                + " 'a'.repeat(1 << 16).match(/(a)\\1/)[0]].join())");
    assertThat(texts(r)).as(r.toString()).containsExactly("true,z,true,-1,aa");
  }

  @Test
  void limits_plainValuesPassTheSameGuards() {
    RunResult r =
        attack(
            "var o = { length: 2, 0: 'a', 1: 'b' }; Bot.sendMessage([Array.prototype.indexOf.call(o, 'b'),"
                + " Array.from(o).join(''), [1].concat([2, 3]).length, [[1, [2]]].flat(2).length,"
                + " 'x'.padEnd(3, 'ab'), 'x'.repeat(3), String.raw({ raw: ['a', 'b'] }, 1),"
                + " 'straße'.toUpperCase(), 'a'.localeCompare('b')].join())");
    assertThat(texts(r)).containsExactly("1,ab,3,2,xab,xxx,a1b,STRASSE,-1");
  }

  /**
   * Built-ins that call each other in Java, with no script frame between them (the text of arrays
   * nested in arrays: toString, join, toString, ...), nest like script frames: cut at the same
   * cap, not by the end of the Java stack.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '~',
      quoteCharacter = '`',
      textBlock =
          """
          String(a)
          a.join()
          a.toString()
          a + ''
          """)
  void stack_builtinsNestedInJavaEndAtTheNestingCap(String use) {
    RunResult r = attack("var a = []; for (var i = 0; i < 100000; i++) a = [a]; " + use);
    assertFailedFor(r, "more than " + SandboxContextFactory.MAX_CALL_DEPTH + " nested calls");
  }

  /**
   * Recursion through Java callbacks is cut at the nesting cap, far from the end of the Java
   * stack, so no overflow can fall inside a class's initialisation or a call site's linking
   * (which the JVM would then refuse for every bot): after recursions stopped at every depth near
   * the cap, the built-ins whose first use initialises JDK classes or links call sites work in
   * another bot's run. Calls that return (a generator resumed many times, a loop of callbacks)
   * do not add up.
   */
  /**
   * A plain body of thousands of chained terms parses, but compiling it recurses once per term: the
   * upload compiles it as a run does, with a quarter of a run's stack, so a body it takes compiles
   * in every run, and one deeper than runs compile (4,000 levels: {@code SourceChecks}; 20,000
   * terms overflowed runs' compiles) is refused.
   */
  @Test
  void stack_aChainTheUploadTakesCompilesInARun_andOneThatOverflowsARunIsRefused() {
    for (int terms : new int[] {500, 2_000, 5_000, 20_000}) {
      String body =
          "var a = 1;\nfunction f() { return a }\nvar x = a" + "+a".repeat(terms - 1)
              + ";\nBot.sendMessage(String(x + f()))";
      boolean taken;
      try {
        dev.botwebhooks.transpile.Transpiler.prepare(body);
        taken = true;
      } catch (dev.botwebhooks.transpile.Transpiler.SyntaxProblem p) {
        assertThat(p).hasMessageContaining("nested too deeply to compile");
        taken = false;
      }
      if (taken) {
        assertThat(texts(attack(body))).as("%d terms", terms).containsExactly(terms + 1 + "");
      }
      if (terms == 500) {
        assertThat(taken).as("500 terms").isTrue();
      }
      if (terms >= 5_000) {
        assertThat(taken).as("%d terms, past the runs' depth cap", terms).isFalse();
      }
    }
  }

  @Test
  void stack_recursionThroughCallbacksEndsAtTheNestingCap_andHarmsNoLaterRun() {
    // Each level nests three: f, forEach and its callback; the cap falls near level 333.
    int capLevel = SandboxContextFactory.MAX_CALL_DEPTH / 3;
    for (int k = capLevel - 4; k <= capLevel + 4; k++) {
      RunResult r =
          attack(
              "function f(d) { if (d < " + k + ") [0].forEach(function () { f(d + 1) });"
                  + " else Bot.sendMessage(['a'.localeCompare('b'), 'a\\u0301'.normalize('NFD').length,"
                  + " new Date(0).toLocaleString('en-US', { timeZone: 'UTC' })].join()) } f(0)");
      if (k < capLevel - 1) {
        assertThat(texts(r)).as("level %d", k).containsExactly("-1,2,1/1/1970, 12:00:00 AM");
      } else if (k > capLevel) {
        assertFailedFor(r, "more than " + SandboxContextFactory.MAX_CALL_DEPTH + " nested calls");
      }
    }
    RunResult deepest =
        attack("function f() { [0].forEach(f) } try { f() } catch (e) { Bot.sendMessage('caught') }");
    assertFailed(deepest, RhinoScriptRuntime.STACK_LIMIT);

    RunResult later =
        runtime.run(
            request(
                code(
                    "victim",
                    cmd(
                        "/v",
                        "Bot.sendMessage(['a'.localeCompare('b'), 'a\\u0301'.normalize('NFD').length,"
                            + " new Date(0).toLocaleString('en-US', { timeZone: 'UTC' })].join())")),
                "/v",
                TIME),
            new MapRunHost());
    assertThat(texts(later)).containsExactly("-1,2,1/1/1970, 12:00:00 AM");

    RunResult returning =
        attack(
            "function* g() { for (var i = 0; i < 5000; i++) yield i }"
                + " function* one() { yield 1 } function h() { return 1 }"
                + " var n = 0, m = 0, k = 0; for (var v of g()) n++;"
                + " for (var i = 0; i < 3000; i++) for (var w of one()) m++;"
                + " for (var i = 0; i < 3000; i++) [0].forEach(function () { k += h() });"
                + " Bot.sendMessage([n, m, k].join())");
    assertThat(texts(returning)).as(returning.toString()).containsExactly("5000,3000,3000");
  }

  @Test
  void memory_garbageBeyondTheBudget_isNotGrowth_runCompletes() {
    // Allocates about twice the 64 MiB budget in short-lived arrays, keeping none of them; it
    // gets a generous time limit, since the point is memory, not time.
    String source =
        "var n = 0; for (var i = 0; i < 8000; i++) { var a = new Array(2000).fill(i); n += a[1]; }"
            + " Bot.sendMessage('kept ' + n)";
    RunResult result =
        runtime.run(request(code("garbage", cmd("/x", source)), "/x", 5_000), new MapRunHost());
    assertCanaryClean();

    assertThat(Runs.texts(result)).as(result.toString()).containsExactly("kept 31996000");
  }

  // ---- flood --------------------------------------------------------------------------------

  @Test
  void flood_messagesRunsAndSizesAreCapped() {
    assertFailed(attack("for (;;) { try { Bot.sendMessage('m') } catch (e) {} }"), "MAX_MESSAGES");
    assertFailed(attack("for (;;) { try { Api.sendMessage({}) } catch (e) {} }"), "MAX_MESSAGES");
    assertFailed(attack("for (;;) { try { Bot.run({command: '/x'}) } catch (e) {} }"), "MAX_RUNS");
    assertFailed(
        attack("Bot.sendMessage({toString() { return 'x'.repeat(1e6) }})"), "MAX_MESSAGE_CHARS");
    assertFailed(
        attack("var s = 'x'; for (var i = 0; i < 24; i++) s += s; Bot.sendMessage(s)"),
        "MAX_MESSAGE_CHARS");
    assertFailed(attack("Bot.setProperty('big', 'x'.repeat(100000))"), "MAX_PROPERTY_BYTES");
  }

  // ---- forge the answer ---------------------------------------------------------------------

  @Test
  void forge_messageTextIsConvertedByTheHost() {
    RunResult r =
        attack(
            "String.prototype.toString = () => 'forged'; JSON.stringify = () => 'forged';"
                + "Object.prototype.toJSON = () => 'forged';"
                + "Bot.sendMessage('a\"b\\r\\n\\u2028\\u0000\\ud800');"
                + "WebApp.render({content: {k: 'v'}, mime_type: 'application/json'});");
    assertThat(texts(r)).containsExactly("a\"b\r\n\u2028\u0000\ud800");
    assertThat(((RunResult.Completed) r).rendered().orElseThrow().content()).isEqualTo("\"forged\"");
  }

  @Test
  void forge_thrownObjectWithLoopingGetterFailsQuickly() {
    RunResult r = attack("throw {get message() { for (;;) {} }, toString() { for (;;) {} }}");
    assertThat(r).isInstanceOf(RunResult.Failed.class);
  }

  // ---- failures of the sandbox itself -------------------------------------------------------

  /**
   * A fault of ours under a call fails the run (no catch in the script sees it); the cause goes to
   * the operator's log, not into the bot's error log, which names no Java class.
   */
  @Test
  void hostFailure_isAFailedRunTheScriptCannotCatch() {
    RunHost broken =
        new RunHost() {
          @Override
          public void keepRun() {}

          @Override
          public Optional<PropertyValue> getProperty(Optional<String> userId, String name) {
            throw new IllegalStateException("store down");
          }

          @Override
          public void setProperty(Optional<String> userId, String name, PropertyValue value) {}

          @Override
          public void deleteProperty(Optional<String> userId, String name) {}

          @Override
          public String mint(MintRequest request) {
            return "";
          }
        };
    RunResult r = attack("try { Bot.getProperty('a') } catch (e) { Bot.sendMessage('caught') }",
        broken);
    assertThat(r).isInstanceOf(RunResult.Failed.class);
    assertThat(((RunResult.Failed) r).message())
        .startsWith("script runtime failure: the script engine failed")
        .doesNotContain("IllegalStateException", "java.");
  }

  /**
   * Rhino forwards an untrapped operation from one proxy to the next in Java: chains of proxies
   * through their targets or handlers recursed to the end of the worker's Java stack at a depth
   * the script chose. A proxy is made 1000 deep at most.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '~',
      quoteCharacter = '`',
      textBlock =
          """
          var p = {x: 1}; for (var i = 0; i < 200000; i++) p = new Proxy(p, {}); Bot.sendMessage('' + p.x)
          var h = {}; for (var i = 0; i < 200000; i++) h = new Proxy({}, h); new Proxy({x: 1}, h).x
          var p = {x: 1}; for (var i = 0; i < 200000; i++) p = Proxy.revocable(p, {}).proxy; p.x
          var f = function () {}; for (var i = 0; i < 200000; i++) f = new Proxy(f, {}); new f()
          var p = {x: 1}; for (var i = 0; i < 200000; i++) p = Reflect.construct(Proxy, [p, {}]); p.x
          """)
  void stack_proxiesAreMadeAtMost1000Deep(String source) {
    assertFailedFor(attack(source), "RangeError: proxies nested more than 1000 deep");
    assertThat(RhinoScriptRuntime.faultedInProcess()).as("runs that overflowed the Java stack")
        .isEqualTo(faultedBefore);
  }

  /**
   * A trap is looked up through the handler's prototype chain, where a proxy asks its own handler
   * in turn: each lookup nests like a call.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '~',
      quoteCharacter = '`',
      textBlock =
          """
          var h = {}; var p = new Proxy({}, h); Object.setPrototypeOf(h, p); Bot.sendMessage(String(p.x))
          var p = new Proxy({x: 1}, {}); for (var i = 0; i < 200000; i++) p = new Proxy({x: 1}, Object.create(p)); p.x
          var h = {}; var p = new Proxy({}, h); Object.setPrototypeOf(h, p); try { 'x' in p } catch (e) { Bot.sendMessage('caught') }
          """)
  void stack_trapLookupsThroughHandlersPrototypesNestAsCalls(String source) {
    assertFailedFor(
        attack(source),
        "more than " + SandboxContextFactory.MAX_CALL_DEPTH + " nested calls|SCRIPT_TIME_LIMIT_MS");
    assertThat(RhinoScriptRuntime.faultedInProcess()).as("runs that overflowed the Java stack")
        .isEqualTo(faultedBefore);
  }

  @Test
  void stack_proxies1000DeepWork() {
    assertThat(
            texts(
                attack(
                    "var p = {x: 7}; for (var i = 0; i < 1000; i++) p = new Proxy(p, {});"
                        + " var deeper; try { new Proxy(p, {}) } catch (e) { deeper = e.name }"
                        + " Bot.sendMessage(p.x + ' ' + deeper)")))
        .containsExactly("7 RangeError");
  }

  /**
   * A proxy in its own target's prototype chain made Rhino walk the chain in Java for ever, and a
   * read through a chain of 100 handlers took twice as long at each level (both runs were
   * abandoned): the walks now check the deadline at each proxy.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '~',
      quoteCharacter = '`',
      textBlock =
          """
          var o = {}; var p = new Proxy(o, {}); Object.setPrototypeOf(o, p); p.x
          var o = {}; var p = new Proxy(o, {}); o.__proto__ = p; p.x = 1
          var o = {}; var p = new Proxy(o, {}); Object.setPrototypeOf(o, p); 'x' in p
          var o = {}; var p = new Proxy(o, {}); Object.setPrototypeOf(o, p); p instanceof Array
          var o = {}; var p = new Proxy(o, {}); Object.setPrototypeOf(o, p); try { p.x } catch (e) { Bot.sendMessage('caught') }
          var h = {}; for (var i = 0; i < 100; i++) h = new Proxy({}, h); new Proxy({x: 1}, h).x
          """)
  void time_aProxyInItsOwnPrototypeChainEndsAtTheDeadline(String source) {
    assertFailedFor(attack(source), "SCRIPT_TIME_LIMIT_MS");
  }

  /** Proxies still behave as the language says, with and without traps. */
  @Test
  void proxies_keepTheirLanguageBehaviour() {
    String source =
        String.join(
            "\n",
            "var log = [];",
            "var target = {a: 1, b: 2};",
            "var p = new Proxy(target, {",
            "  get: function (t, k, r) { log.push('get ' + String(k)); return k in t ? t[k] : 'none' },",
            "  set: function (t, k, v) { t[k] = v * 10; return true },",
            "  has: function (t, k) { return k === 'hidden' || k in t },",
            "  deleteProperty: function (t, k) { delete t[k]; return true },",
            "  ownKeys: function (t) { return Reflect.ownKeys(t).concat(['z']) },",
            "  getOwnPropertyDescriptor: function (t, k) {",
            "    return k === 'z' ? {value: 26, enumerable: true, configurable: true}",
            "        : Reflect.getOwnPropertyDescriptor(t, k) }",
            "});",
            "p.c = 3; delete p.b;",
            "var plain = new Proxy({q: 1}, {});",
            "plain.r = 2;",
            "var f = new Proxy(function (x) { return x + 1 }, {",
            "  apply: function (t, self, args) { return t(args[0]) * 2 } });",
            "var C = new Proxy(function (v) { this.v = v }, {});",
            "var D = new Proxy(function () {}, {construct: function (t, args) {",
            "  return {n: args.length, array: Array.isArray(args), first: args[0]} }});",
            "var made = new D('x', 'y');",
            "var pair = Proxy.revocable({k: 'v'}, {});",
            "var before = pair.proxy.k; pair.revoke();",
            "var revoked; try { pair.proxy.k } catch (e) { revoked = e instanceof TypeError }",
            "var noNew; try { Proxy({}, {}) } catch (e) { noNew = e instanceof TypeError }",
            "var badTrap; try { new Proxy({}, {get: 5}).x } catch (e) { badTrap = e instanceof TypeError }",
            "var handler = {}; var late = new Proxy({}, handler); handler.get = function () { return 'late' };",
            "var counting = {calls: 0, get: function (t, k) { this.calls++; return t[k] }};",
            "var counted = new Proxy({a: 1, b: 2}, counting); counted.a; counted.b;",
            "Bot.sendMessage([p.a, p.missing, 'hidden' in p, 'b' in target, target.c,",
            "  Object.keys(p).join('+'), plain.q, plain.r, JSON.stringify(plain), f(4),",
            "  new C(7).v, typeof f, Array.isArray(new Proxy([], {})), before, revoked, noNew,",
            "  badTrap, late.anything, log.slice(0, 2).join('/'), made.n, made.array, made.first,",
            "  counting.calls].join())");
    assertThat(texts(attack(source)))
        .containsExactly(
            "1,none,true,false,30,a+c+z,1,2,{\"q\":1,\"r\":2},10,7,function,true,v,true,true,"
                + "true,late,get a/get missing,2,true,x,2");
  }

  /**
   * A Java stack overflow, or a class the JVM could not initialise, may have struck inside a JDK
   * or engine class's initialisation, which the JVM then refuses for every later run: such a run
   * marks the process untrusted, to be replaced. No script is known to reach one any more (the
   * tests below), so the host throws it here, in the run's thread, as a deep recursion would.
   */
  @Test
  void stack_aJavaStackOverflowMarksTheProcessUntrusted() {
    MapRunHost overflowing =
        new MapRunHost() {
          @Override
          public Optional<PropertyValue> getProperty(Optional<String> userId, String name) {
            throw new StackOverflowError();
          }
        };
    RunResult r = attack("Bot.getProperty('x')", overflowing);
    assertFailed(r, RhinoScriptRuntime.STACK_LIMIT);
    assertThat(RhinoScriptRuntime.faultedInProcess()).isEqualTo(faultedBefore + 1);
  }

  /**
   * Rhino's regular-expression parser recurses in Java once per group and once per alternative:
   * 25,000 nested groups overflowed the run's stack, at a depth the script chose. Every way to
   * compile a pattern meets the nesting cap first, with a SyntaxError the script can catch; the
   * process stays trusted.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "new RegExp('('.repeat(25000) + 'a' + ')'.repeat(25000))",
        "RegExp('(?:'.repeat(2600))",
        "new RegExp('(?='.repeat(25000) + 'a' + ')'.repeat(25000))",
        "new RegExp('(?<n>'.repeat(3000) + 'a' + ')'.repeat(3000))",
        "new RegExp('a|'.repeat(40000) + 'b')",
        "new RegExp('(' + 'a|'.repeat(2500) + '(' + 'b|'.repeat(2500) + 'c))')",
        "/x/.compile('('.repeat(25000))",
        "'a'.match('('.repeat(25000) + 'a' + ')'.repeat(25000))",
        "'a'.search('('.repeat(25000))",
        "'a'.matchAll('('.repeat(25000) + 'a' + ')'.repeat(25000))",
        "'a'.replace(new RegExp('('.repeat(25000) + 'a' + ')'.repeat(25000), 'g'), '')",
        "eval('/' + '('.repeat(25000) + 'a' + ')'.repeat(25000) + '/')",
        "Function('return /' + 'a|'.repeat(40000) + 'b/')()"
      })
  void stack_deepRegularExpressionsAreRefusedBeforeTheyOverflow(String compile) {
    assertCatchableRefusal(compile, "SyntaxError: regular expression nested too deep: more than 5000");
  }

  /** The compile is refused with an error the script catches, and the process stays trusted. */
  private void assertCatchableRefusal(String compile, String error) {
    RunResult r =
        attack(
            "var caught; try { " + compile + " } catch (e) { caught = e.name + ': ' + e.message }"
                + " Bot.sendMessage(caught)",
            new MapRunHost(),
            4_000);
    assertThat(texts(r)).singleElement().asString().startsWith(error);
    assertThat(RhinoScriptRuntime.faultedInProcess()).isEqualTo(faultedBefore);
  }

  /**
   * The cap counts what the pattern parser recurses on and nothing else: deep but allowed patterns,
   * a list of a thousand words, parentheses escaped or in a class, and a text searched for as it
   * is all compile and match; and the cap holds with a run's script frames nested as deep as they
   * may be.
   */
  @Test
  void stack_patternsBelowTheNestingCapCompileAndMatch() {
    String source =
        String.join(
            "\n",
            "var nested = new RegExp('('.repeat(2400) + 'a' + ')'.repeat(2400)).test('a');",
            "var words = []; for (var i = 0; i < 1000; i++) words.push('w' + i);",
            "var list = new RegExp('^(?:' + words.join('|') + ')$').test('w999');",
            "var escaped = new RegExp('\\\\('.repeat(20000)).test('('.repeat(20000));",
            "var inClass = new RegExp('[' + '('.repeat(20000) + ']').test('(');",
            "var text = 'a(b'.split('(').length + 'x((((y'.replace('((((', '-');",
            "function deep(k) { return k == 0",
            "  ? new RegExp('('.repeat(2400) + 'a' + ')'.repeat(2400)).test('a')",
            "  : [k - 1].map(deep)[0] }",
            "var atDepth = deep(480);",
            "Bot.sendMessage([nested, list, escaped, inClass, text, atDepth].join())");
    assertSentInTrust(source, "true,true,true,true,2x-y,true");
  }

  /** The run sends the one message, and the process stays trusted. */
  private void assertSentInTrust(String source, String message) {
    assertThat(texts(attack(source, new MapRunHost(), 4_000))).containsExactly(message);
    assertThat(RhinoScriptRuntime.faultedInProcess()).isEqualTo(faultedBefore);
  }

  /**
   * Rhino parses a chain of operators in a loop but compiles it by recursion, one level per link:
   * a chain of 10,000 commas, property reads or calls overflowed the run's stack while compiling.
   * Source deeper than the cap is refused before it is compiled, in {@code eval}, in {@code
   * Function} and in a command itself.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "eval('1' + ',1'.repeat(10000))",
        "eval('({}).a' + '.a'.repeat(10000))",
        "eval('(x => x)' + '(1)'.repeat(10000))",
        "eval('1' + '+1'.repeat(40000))",
        "eval('x' + '[0]'.repeat(10000))",
        "Function('return 1' + ',1'.repeat(10000))",
        "new Function('a', 'return a' + '.b'.repeat(10000))",
        "eval('if (0) 1; ' + 'else if (0) 1; '.repeat(4500))"
      })
  void stack_deepCodeIsRefusedBeforeItsCompileOverflows(String compile) {
    assertCatchableRefusal(compile, "SyntaxError: code nested more than 4000 deep");
  }

  @Test
  void stack_aCommandNestedTooDeepFailsAsASyntaxError() {
    RunResult r = attack("Bot.sendMessage(String((1" + ",1".repeat(10000) + ")))");
    assertThat(r).isInstanceOf(RunResult.Failed.class);
    assertThat(((RunResult.Failed) r).message()).contains("code nested more than 4000 deep");
    assertThat(RhinoScriptRuntime.faultedInProcess()).isEqualTo(faultedBefore);
  }

  @Test
  void stack_codeBelowTheDepthCapCompilesAndRuns() {
    String source =
        String.join(
            "\n",
            "var sum = eval('1' + '+1'.repeat(3900));",
            "var last = Function('return 1' + ',2'.repeat(3900))();",
            "var chain = eval('if (0) 1; ' + 'else if (0) 1; '.repeat(3900) + 'else 7');",
            "function deep(k) { return k == 0 ? eval('1' + ',3'.repeat(3900)) : [k - 1].map(deep)[0] }",
            "Bot.sendMessage([sum, last, chain, deep(480), 1" + "+1".repeat(1500) + "].join())");
    assertSentInTrust(source, "3901,2,7,3,1501");
  }

  private final int faultedBefore = RhinoScriptRuntime.faultedInProcess();

  @Test
  void isolation_freshScopeCostIsSmall() {
    // Not a timing assertion: shows that many runs in a row leave the runtime usable.
    for (int i = 0; i < 50; i++) {
      assertThat(
              texts(runtime.run(request(code("b", cmd("/c", "Bot.sendMessage('' + " + i + ")")),
                  "/c", 2_000), new MapRunHost())))
          .containsExactly("" + i);
    }
    assertThat(List.of(runtime.compilations())).isNotEmpty();
  }
}
