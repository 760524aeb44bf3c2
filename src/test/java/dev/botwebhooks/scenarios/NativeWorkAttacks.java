package dev.botwebhooks.scenarios;

import dev.botwebhooks.config.Settings;
import dev.botwebhooks.scenarios.SandboxOverHttpTest.Attack;
import dev.botwebhooks.scenarios.SandboxOverHttpTest.Expect;
import dev.botwebhooks.script.RhinoScriptRuntime;
import java.util.List;

/**
 * Attacks on native work (README "Native work and the deadline"), one group per way a run could
 * outlast its deadline inside one Java call: built-ins whose work grows with the size of their
 * inputs, conversions driven by the host, script code called from Java, and what a run keeps.
 * Each names the reason its run must end with; SandboxOverHttpTest holds each to the time limit
 * plus 0.5 s and no abandoned run.
 */
final class NativeWorkAttacks {
  private static final String TIME = Settings.Env.SCRIPT_TIME_LIMIT_MS;

  /** A string of 2^25 characters, the longest a script can make. */
  private static final String ROPE = "var s = 'x'; for (var i = 0; i < 25; i++) s += s;";

  private NativeWorkAttacks() {}

  static void addAll(List<Attack> all) {
    inputSizes(all);
    hostConversions(all);
    callsFromJava(all);
    whatARunKeeps(all);
  }

  private static void add(List<Attack> all, String name, String source, Expect expect) {
    all.add(new Attack(name, source, expect));
  }

  private static void inputSizes(List<Attack> all) {
    add(
        all,
        "native: indexOf of a long pattern in a long text",
        "var t = 'a'.repeat(1 << 23), p = 'a'.repeat(1 << 16) + 'b'; t.indexOf(p)",
        Expect.fails(TIME));
    add(
        all,
        "native: lastIndexOf of a long pattern, caught and retried",
        "var t = 'a'.repeat(1 << 23), p = 'b' + 'a'.repeat(1 << 16);"
            + " for (;;) { try { t.lastIndexOf(p) } catch (e) {} }",
        Expect.fails(TIME));
    add(
        all,
        "native: includes on a rope of 2^25 characters, called in a loop",
        ROPE + " for (;;) s.includes('y')",
        Expect.fails(TIME));
    add(
        all,
        "native: split by a long separator",
        "'a'.repeat(1 << 23).split('a'.repeat(1 << 15) + 'b')",
        Expect.failsWith("String.prototype.split"));
    add(
        all,
        "native: replaceAll with a long pattern",
        "'ab'.repeat(1 << 22).replaceAll('ab'.repeat(1 << 14) + 'c', '')",
        Expect.failsWith("String.prototype.replaceAll"));
    add(
        all,
        "native: localeCompare of two long texts",
        "var a = 'a'.repeat(1 << 22); a.localeCompare(a + 'b')",
        Expect.failsWith("String.prototype.localeCompare"));
    add(
        all,
        "native: normalize of a run of combining marks",
        "('a' + '\\u0301\\u0323'.repeat(1 << 15)).normalize('NFC')",
        Expect.failsWith("String.prototype.normalize"));
    add(
        all,
        "native: toUpperCase of sharp s, mapped in linear time",
        "Bot.sendMessage(String('\\u00df'.repeat(1 << 19).toUpperCase().length))",
        Expect.answers(Integer.toString(1 << 20)));
    add(
        all,
        "native: toLowerCase of final sigmas, mapped in linear time",
        "var l = ('A\\u03a3 '.repeat(1 << 18)).toLowerCase();"
            + " Bot.sendMessage(l.length + l.slice(0, 3))",
        Expect.answers((3 << 18) + "a\u03c2 "));
    add(
        all,
        "native: toLocaleLowerCase of dotted capitals in a loop",
        "var t = '\\u0130'.repeat(1 << 20); for (;;) t.toLocaleLowerCase('en')",
        // Each pass drops a text of 2^21 characters; in the test JVM's 1 GiB heap, which holds
        // the whole suite's data, the memory limit may end it before the deadline does.
        Expect.fails());
    add(
        all,
        "native: sort of long equal texts",
        "var a = new Array(1 << 16).fill('x'.repeat(1 << 23)); a.sort()",
        Expect.failsWith("Array.prototype.sort"));
    add(
        all,
        "native: default sort of arrays of numbers, each joined at every comparison",
        // One row shared by every element: a comparison joins it all the same, and the set-up stays
        // far inside the time limit on a slow machine, so the estimate is what refuses the run.
        "var row = new Array(1000).fill(Math.random()); var a = new Array(20000).fill(row);"
            + " a.sort()",
        Expect.failsWith("Array.prototype.sort"));
    add(
        all,
        "native: default sort of numbers, each turned into text at every comparison",
        "var a = new Array(500000).fill(0).map(Math.random); a.sort()",
        // Refused by its estimate, or, where the estimate let it start, ended by the deadline
        // that its comparisons check.
        Expect.fails());
    add(
        all,
        "native: default sorts of numbers again and again",
        "var a = []; for (var i = 0; i < 200000; i++) a.push(Math.random());"
            + " for (;;) a.slice().sort()",
        Expect.fails());
    add(
        all,
        "native: Rhino's static Array.sort, past the prototype's guards",
        "var a = new Array(1 << 10).fill(0.5); Array.sort(a)",
        Expect.failsWith("Cannot find function sort"));
    add(
        all,
        "native: Rhino's static Array.concat of one array many times",
        "var a = new Array(1 << 10).fill(0); Array.concat("
            + String.join(", ", java.util.Collections.nCopies(30, "a")) + ")",
        Expect.failsWith("Cannot find function concat"));
    add(
        all,
        "native: Rhino's static Array.join of a long sparse array",
        "var a = []; a.length = 2 ** 32 - 1; Array.join(a, 'x')",
        Expect.failsWith("Cannot find function join"));
    add(
        all,
        "native: default sort of an array that holds itself",
        "var a = [[1]]; a[0].push(a); for (var i = 0; i < 1000; i++) a.push(a); a.sort();"
            + " Bot.sendMessage('sorted')",
        Expect.contained());
    add(
        all,
        "native: walks of a long sparse array, again and again",
        "var a = []; a.length = 1 << 19; for (;;) { a.toReversed(); a.fill(0); a.reverse() }",
        // Each walk is one Java call past every check: refused once it cannot fit the time left.
        Expect.fails());
    add(
        all,
        "native: join of long texts",
        "new Array(1 << 10).fill('x'.repeat(1 << 23)).join()",
        Expect.failsWith("Array.prototype.join"));
    add(
        all,
        "native: many slices of a rope between two jumps",
        ROPE
            + " for (;;) { try { s.slice(1, 2); s.trimEnd(); s.startsWith('y'); s.endsWith('y') }"
            + " catch (e) {} }",
        // As above: the deadline, or the memory limit first.
        Expect.fails());
  }

  private static void hostConversions(List<Attack> all) {
    add(
        all,
        "json: toJSON returns a small DAG",
        "var o = ['x'.repeat(1 << 16)]; for (var i = 0; i < 40; i++) o = [o, o];"
            + " JSON.stringify({toJSON() { return o }})",
        Expect.failsWith("JSON.stringify"));
    add(
        all,
        "json: a replacer returns a small DAG",
        "var o = {s: 'x'.repeat(1 << 16)}; for (var i = 0; i < 40; i++) o = {a: o, b: o};"
            + " JSON.stringify(1, (k, v) => k === '' ? o : v)",
        Expect.failsWith("JSON.stringify"));
    add(
        all,
        "json: a key list over a DAG from toJSON",
        "var o = {a: 'x'.repeat(1 << 16)}; for (var i = 0; i < 40; i++) o = {a: o, b: o};"
            + " JSON.stringify({toJSON() { return o }}, ['a', 'b'])",
        Expect.failsWith("JSON.stringify"));
    add(
        all,
        "json: indentation given as a String object, deep and wide",
        "var d = 1; for (var i = 0; i < 200; i++) d = [d];"
            + " JSON.stringify(new Array(1 << 12).fill(d), null, new String('          '))",
        Expect.failsWith("JSON.stringify"));
    add(
        all,
        "json: a key list keeps its order and a String object indent is cut to 10",
        "Bot.sendMessage(JSON.stringify({a: 1, b: {c: 2, a: 3}}, ['b', 'a'],"
            + " new String('--------------x')))",
        Expect.answers("{\n----------\"b\": {\n--------------------\"a\": 3\n----------},\n"
            + "----------\"a\": 1\n}"));
    add(
        all,
        "headers: lookups of a huge header name in a loop",
        ROPE + " var h = options.headers || {}; for (;;) h[s]",
        Expect.fails(TIME));
  }

  private static void whatARunKeeps(List<Attack> all) {
    String outbox = Settings.Env.MAX_OUTBOX_BYTES;
    add(
        all,
        "outbox: a keyboard of 300,000 characters",
        "Bot.sendMessage('m', [[{text: 'x'.repeat(300000)}]])",
        Expect.fails(outbox));
    add(
        all,
        "outbox: Api parameters of 60,000 characters, many times, caught",
        "for (;;) { try { Api.sendPhoto({caption: '\u00e9'.repeat(60000)}) } catch (e) {} }",
        Expect.fails(outbox));
    add(
        all,
        "outbox: a rendered page of 300,000 characters",
        "WebApp.render({content: 'x'.repeat(300000), mime_type: 'text/plain'})",
        Expect.fails(outbox));
    add(
        all,
        "outbox: hooks minted with 60,000 characters of content",
        "for (;;) Libs.Webhooks.getUrlFor({command: '/x', content: 'y'.repeat(60000)})",
        Expect.fails(outbox));
    add(
        all,
        "outbox: Bot.run options of 100,000 characters",
        "for (var i = 0; i < 5; i++) Bot.run({command: '/x', options: {a: 'z'.repeat(100000)}})",
        Expect.fails(outbox));
  }

  private static void callsFromJava(List<Attack> all) {
    add(
        all,
        "calls: an iterator without a loop, consumed by new Map",
        "var it = {[Symbol.iterator]() { return this }, next() { return {value: [1, 1]} }};"
            + " new Map(it)",
        Expect.fails(TIME));
    add(
        all,
        "calls: an iterator without a loop, consumed by Array.from, caught",
        "var n = 0, it = {[Symbol.iterator]() { return this },"
            + " next() { return {value: 1, done: ++n % 100000 == 0} }};"
            + " for (;;) { try { Array.from(it) } catch (e) {} }",
        Expect.fails(TIME));
    add(
        all,
        "calls: toString from join, without a loop",
        "var o = {toString() { return 'x' }}; var a = new Array(1 << 16).fill(o);"
            + " for (;;) { try { a.join() } catch (e) {} }",
        // The join's charge refuses it near the deadline; caught, the loop goes on to the check
        // that each toString ticks.
        Expect.fails(TIME));
    add(
        all,
        "calls: valueOf from Math.max over a long argument list, in a loop",
        "var v = {valueOf() { return 1 }}; var a = new Array(60000).fill(v);"
            + " for (;;) Math.max.apply(null, a)",
        Expect.fails(TIME));
    add(
        all,
        "calls: promise jobs without loops",
        "function f() { return Promise.resolve().then(f) } f(); Bot.sendMessage('queued')",
        Expect.fails(RhinoScriptRuntime.PROMISE_JOBS_LIMIT));
    add(
        all,
        "calls: a sort comparator without a loop over a long array",
        "var a = []; for (var i = 0; i < 1e5; i++) a.push(i % 1000);"
            + " for (;;) { try { a.slice().sort((x, y) => y - x) } catch (e) {} }",
        // The slice's charge refuses it near the deadline; caught, the loop goes on to the check
        // that each comparison ticks.
        Expect.fails(TIME));
  }
}
