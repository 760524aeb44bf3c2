package dev.botwebhooks.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.lambda.LocalRuntime;
import dev.botwebhooks.local.LocalServer;
import dev.botwebhooks.store.MemoryStore;
import dev.botwebhooks.wiring.Deployment;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sandbox checked from outside: the real local server, two bots made through the bot API, and
 * one attack command per case uploaded to bot A and hit over HTTP. Each hit must be answered 503
 * (or a contained 200 with exactly the right body) within the time limit plus a margin, and bot B's
 * canary command, hit right after, must still see the standard objects and its own data exactly as
 * it did before any attack.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SandboxOverHttpTest {
  private static final String ADMIN_KEY = "sandbox-admin-key-0123456789";
  private static final long LIMIT_MS = 1_000;

  /**
   * How long past the time limit a hit may be answered, measured at the client (the HTTP round
   * trip and a collection after a memory attack included): less than the watchdog's one-second
   * grace, so a run answered in time ended by itself; and none may be abandoned.
   */
  private static final long MARGIN_MS = 900;

  /**
   * How long past the time limit a run may end, as the request log measures it (README): a
   * collection pause at the deadline on a busy machine included, and less than the watchdog's
   * one-second grace, so a run that meets it ended by itself.
   */
  private static final long RUN_END_MARGIN_MS = 800;

  private static final String TIME = Settings.Env.SCRIPT_TIME_LIMIT_MS;

  /**
   * Bot B's canary: a fingerprint of the standard objects, its globals and its own data, rendered
   * as text (it is longer than a message may be).
   */
  private static final String CANARY =
      String.join(
          "\n",
          "var names = o => Object.getOwnPropertyNames(o).sort().join();",
          "var fp = [",
          "  names(Object.prototype), Object.keys(Object.prototype).length, names(Object),",
          "  names(Array.prototype), names(String.prototype), names(JSON), names(Math),",
          "  names(RegExp), names(RegExp.prototype), names(Function.prototype), names(Promise),",
          "  names(Promise.prototype), names(globalThis), names(Error.prototype), names(Symbol),",
          "  names(Date.prototype), names(Number.prototype), Object.keys(globalThis).join(),",
          "  names(Object.getPrototypeOf([][Symbol.iterator]())),",
          "  typeof Array.prototype.push, [1, 2].push(3), [3, 1, 2].sort().join(),",
          "  [1, 2, 3].map(x => x * 2).join(), [...'ab'].join(), Array.from([1]).length,",
          "  JSON.stringify({a: [1, 'b', null, true], c: {d: 1}}), JSON.parse('{\"x\":[1]}').x[0],",
          "  typeof Math.random(), Math.random() < 1, Math.max(1, 3), Math.PI,",
          "  RegExp.$1, RegExp.lastMatch, /a(b)/.exec('xab')[1], 'a-b'.replace(/-/, '+'),",
          "  'abc'.toUpperCase(), ' x '.trim(), 'a,b'.split(',').length, String(12),",
          "  (5).toString(), `t${1}`, 'x'.repeat(3), 'x'.padStart(3, '-'), [1, [2]].flat().length,",
          "  Object.isFrozen(Object.prototype), Object.isExtensible(globalThis),",
          "  Object.isExtensible(Object.prototype), Object.isExtensible(Array.prototype),",
          "  Object.getPrototypeOf(Bot) === Object.prototype,",
          "  typeof Packages, typeof java, typeof globalLeak, typeof Object.prototype.polluted,",
          "  typeof Bot.sendMessage, names(Bot), names(User), names(Libs), names(WebApp),",
          "  typeof Libs.Webhooks.getUrlFor, typeof CryptoJS.SHA256, typeof inspect,",
          "  new Date(0).toISOString(), new Map([[1, 2]]).get(1), new Set([1, 1]).size,",
          "  typeof Symbol.iterator, typeof Error.captureStackTrace, String(new Error('e')),",
          "  bot.name, user && user.id, command.name, params, content,",
          "  Bot.getProperty('secret'), User.getProperty('mine'), Bot.getProperty('attacked'),",
          "  CryptoJS.SHA256('a').toString().slice(0, 8)",
          "];",
          "Bot.sendMessage('canary');",
          "Promise.resolve(1).then(",
          "  v => WebApp.render({content: fp.join('|') + '|' + v, mime_type: 'text/plain'}));");

  private Deployment deployment;
  private LocalServer server;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private BotKeys a;
  private BotKeys b;
  private String canaryUrl;
  private String baseline;
  private final AtomicInteger commands = new AtomicInteger();
  private long heapBefore;

  private record BotKeys(String id, String key) {}

  /** What an attack's hit must answer. */
  record Expect(String kind, String text, String limit) {
    static Expect fails() {
      return new Expect("fails", null, null);
    }

    static Expect fails(String limit) {
      return new Expect("fails", null, limit);
    }

    /** Fails with an error whose message contains {@code reason} (and no limit named). */
    static Expect failsWith(String reason) {
      return new Expect("fails", reason, null);
    }

    static Expect answers(String text) {
      return new Expect("answers", text, null);
    }

    static Expect renders(String mimeType, String content) {
      return new Expect("renders:" + mimeType, content, null);
    }

    /** A 503, or a 200 with a JSON answer: either way nothing internal in the body. */
    static Expect contained() {
      return new Expect("contained", null, null);
    }
  }

  record Attack(String name, String source, Expect expect) {
    @Override
    public String toString() {
      return name;
    }
  }

  @BeforeAll
  void startServerAndBots() throws Exception {
    Settings settings =
        Settings.from(
            Map.of(
                Settings.Env.ADMIN_KEY,
                ADMIN_KEY,
                Settings.Env.SCRIPT_TIME_LIMIT_MS,
                Long.toString(LIMIT_MS),
                Settings.Env.RATE_LIMIT_PER_MINUTE,
                "100000"));
    deployment =
        new Deployment(settings, new MemoryStore(), IdGenerator.secure(), Clock.systemUTC());
    server =
        LocalServer.start(
            LocalRuntime.of(
                deployment.webhooks(), deployment.hitService()::runDueRuns, deployment.botApi()),
            0,
            false);
    a = createBot("attacker");
    b = createBot("canary");
    for (BotKeys bot : List.of(a, b)) {
      api(bot, "PUT", "/users/7", "application/json", "{\"first_name\":\"Ann\"}", 200);
    }
    api(
        b,
        "PUT",
        "/properties/secret",
        "application/json",
        "{\"value\":\"mine\",\"type\":\"string\"}",
        200);
    api(
        b,
        "PUT",
        "/users/7/properties/mine",
        "application/json",
        "{\"value\":\"own\",\"type\":\"string\"}",
        200);
    api(b, "PUT", "/commands/" + encode("/canary"), "text/plain", CANARY, 200);
    canaryUrl = mint(b, "{\"command\":\"/canary the-params\",\"user_id\":\"7\"}");
    baseline = canaryAnswer();
    heapBefore = heapAfterFullGc();
    assertThat(baseline)
        .contains("|mine|own||ca978112|1")
        .contains("|undefined|undefined|undefined|undefined|function|")
        .contains("|canary|7|/canary|the-params||");
  }

  @AfterAll
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  // ---- the attacks ----------------------------------------------------------------------------

  static Stream<Attack> attacks() {
    List<Attack> all = new ArrayList<>();
    reachJava(all);
    touchOthers(all);
    leaveSomethingBehind(all);
    outlastLimits(all);
    exhaustMemoryOrStack(all);
    flood(all);
    forgeTheAnswer(all);
    NativeWorkAttacks.addAll(all);
    return all.stream();
  }

  private static void add(List<Attack> all, String name, String source, Expect expect) {
    all.add(new Attack(name, source, expect));
  }

  private static void reachJava(List<Attack> all) {
    add(all, "java: System.exit", "java.lang.System.exit(0)", Expect.fails());
    add(
        all,
        "java: Packages Runtime.exec",
        "Packages.java.lang.Runtime.getRuntime().exec('id')",
        Expect.fails());
    add(
        all,
        "java: JavaImporter",
        "var io = new JavaImporter(java.io); with (io) { File }",
        Expect.fails());
    add(
        all,
        "java: JavaAdapter",
        "new JavaAdapter(java.lang.Runnable, {run: function () {}})",
        Expect.fails());
    add(all, "java: getClass", "Bot.sendMessage(String(getClass(Bot)))", Expect.fails());
    add(
        all,
        "java: no LiveConnect names anywhere",
        "Bot.sendMessage([typeof Packages, typeof java, typeof javax, typeof org, typeof com,"
            + " typeof getClass, typeof JavaAdapter, typeof JavaImporter, typeof Continuation,"
            + " typeof load, typeof readFile, typeof readUrl, typeof runCommand, typeof spawn,"
            + " typeof sync, typeof importPackage, typeof importClass, typeof defineClass,"
            + " typeof serialize, typeof deserialize, typeof quit, typeof version,"
            + " typeof XML, typeof XMLList, typeof Namespace, typeof QName, typeof Script,"
            + " typeof With, typeof Call, typeof BigInt].join())",
        Expect.answers(String.join(",", java.util.Collections.nCopies(30, "undefined"))));
    add(
        all,
        "java: globals through the Function constructor",
        "var g = Bot.sendMessage.constructor('return this')();"
            + " Bot.sendMessage(typeof g.java + typeof g.Packages + typeof g.getClass)",
        Expect.answers("undefinedundefinedundefined"));
    add(
        all,
        "java: constructor chains of host functions",
        "var f = Bot.getProperty.__proto__.constructor.constructor;"
            + " Bot.sendMessage(f('return typeof java + typeof Packages + typeof org')())",
        Expect.answers("undefinedundefinedundefined"));
    add(
        all,
        "java: __parent__ and __proto__ of host objects",
        "Bot.sendMessage([typeof Bot.sendMessage.__parent__, typeof inspect.__parent__,"
            + " typeof CryptoJS.SHA256.__parent__, Object.getPrototypeOf(Bot) === Object.prototype,"
            + " Object.getPrototypeOf(Bot.sendMessage) === Function.prototype].join())",
        Expect.answers("undefined,undefined,undefined,true,true"));
    add(
        all,
        "java: property descriptors of every global",
        "var bad = Reflect.ownKeys(globalThis).filter(k => { var d ="
            + " Object.getOwnPropertyDescriptor(globalThis, k); return d.value !== undefined &&"
            + " typeof d.value === 'object' && !(d.value instanceof Object) && d.value !== null });"
            + " Bot.sendMessage(String(bad.length))",
        Expect.answers("0"));
    add(
        all,
        "java: caught errors carry no Java exception",
        "var out = [];"
            + " for (var f of [() => Bot.getProperty(), () => null.x, () => Bot.setProperty('a', 1,"
            + " 'bogus'), () => Bot.runCommand('/missing'), () => HTTP.get({url: 'x'})]) {"
            + " try { f() } catch (e) { out.push(typeof e.javaException + typeof e.rhinoException"
            + " + (e instanceof Error)) } }"
            + " Bot.sendMessage(out.join())",
        Expect.answers(
            String.join(",", java.util.Collections.nCopies(5, "undefinedundefinedtrue"))));
    add(
        all,
        "java: every reachable value is a plain JS value",
        String.join(
            "\n",
            "var seen = new Set(), queue = [globalThis], bad = [];",
            "var ok = ['Object', 'Function', 'Array', 'Error', 'Date', 'RegExp', 'String',",
            "  'Number', 'Boolean', 'Symbol', 'Math', 'JSON', 'Map', 'Set', 'WeakMap', 'WeakSet',",
            "  'Promise', 'Reflect', 'Arguments', 'Generator', 'Array Iterator', 'String"
                + " Iterator',",
            "  'Map Iterator', 'Set Iterator', 'RegExp String Iterator', 'GeneratorFunction',",
            "  'AsyncFunction', 'Iterator', 'WeakRef', 'FinalizationRegistry', 'global',",
            "  'Global', 'Intl', 'StopIteration', 'CallSite'];",
            "while (queue.length && seen.size < 20000) {",
            "  var o = queue.shift();",
            "  if (o === null || (typeof o !== 'object' && typeof o !== 'function') ||"
                + " seen.has(o))",
            "    continue;",
            "  seen.add(o);",
            "  var tag = Object.prototype.toString.call(o).slice(8, -1);",
            "  if (ok.indexOf(tag) < 0 && !/Error$/.test(tag)) bad.push(tag);",
            "  queue.push(Object.getPrototypeOf(o));",
            "  for (var k of Reflect.ownKeys(o)) {",
            "    var d = Object.getOwnPropertyDescriptor(o, k);",
            "    if (d) [d.value, d.get, d.set].forEach(v => queue.push(v));",
            "  }",
            "}",
            "Bot.sendMessage('suspicious: [' + bad.join() + '], walked: ' + (seen.size > 100))"),
        Expect.answers("suspicious: [], walked: true"));
    add(
        all,
        "java: no Java frames in error stacks",
        "try { null.x } catch (e) { Bot.sendMessage(String(e.stack) + new Error('s').stack) }",
        Expect.contained());
    add(all, "java: continuations", "new Continuation()", Expect.fails());
    add(
        all,
        "java: E4X",
        "var x = <a>{java.lang.System}</a>; Bot.sendMessage(String(x))",
        Expect.fails());
  }

  private static void touchOthers(List<Attack> all) {
    add(
        all,
        "others: read another bot's property by name",
        "Bot.sendMessage(String(Bot.getProperty('secret')))",
        Expect.answers("undefined"));
    add(
        all,
        "others: property names that try to leave the key space",
        "Bot.sendMessage(['%B%:secret', '%B%#secret', 'PROP#secret', '../%B%/secret',"
            + " 'BOT#%B%#PROP#secret', 'secret\\u0000', '\\u0000secret', 'SECRET', ' secret',"
            + " 'UPROP#7#mine', '7#mine', 'mine'].map(n => String(Bot.getProperty(n))).join())",
        Expect.answers(String.join(",", java.util.Collections.nCopies(12, "undefined"))));
    add(
        all,
        "others: user ids of another bot's user",
        "Bot.sendMessage([Bot.getProperty({name: 'mine', user_id: 7}),"
            + " Bot.getProperty({name: 'mine', user_id: '7'}), User.getProperty('mine'),"
            + " User.getProperty({name: 'mine', user_id: 7})].map(String).join())",
        Expect.answers("undefined,undefined,undefined,undefined"));
    add(
        all,
        "others: rewritten identity globals",
        "bot = {id: '%B%', name: 'canary'}; user = {id: 7, bot_id: '%B%'}; globalThis.bot = bot;"
            + " this.user = user; Bot.sendMessage(String(Bot.getProperty('secret')) +"
            + " String(User.getProperty('mine')))",
        Expect.answers("undefinedundefined"));
    add(
        all,
        "others: writes and deletes stay in the own bot",
        "Bot.setProperty('secret', 'stolen'); User.setProperty('mine', 'stolen');"
            + " Bot.setProperty({name: 'mine', value: 'stolen', user_id: 7});"
            + " Bot.setProperty({name: 'secret', value: 'stolen', bot_id: '%B%'});"
            + " Bot.deleteProp('secret'); User.deleteProp('mine'); Bot.setProperty('attacked', 1);"
            + " Bot.sendMessage('wrote')",
        Expect.answers("wrote"));
    add(
        all,
        "others: another bot's command is not there",
        "Bot.runCommand('/canary')",
        Expect.fails());
    add(
        all,
        "others: a hook for another bot cannot be minted",
        "var u = Libs.Webhooks.getUrlFor({command: '/canary', bot_id: '%B%', bot: {id: '%B%'}});"
            + " Bot.sendMessage(String(u.indexOf('%B%') < 0))",
        Expect.contained());
  }

  private static void leaveSomethingBehind(List<Attack> all) {
    add(
        all,
        "leftover: prototype pollution",
        "Object.prototype.polluted = 1; Array.prototype.push = function () { return -1 };"
            + " String.prototype.trim = () => 'x'; Function.prototype.call = null;"
            + " Object.prototype.toString = () => 'forged'; Array.prototype.map = null;"
            + " Bot.sendMessage('ok')",
        Expect.answers("ok"));
    add(
        all,
        "leftover: JSON, Math and RegExp statics",
        "JSON.stringify = () => 'x'; JSON.parse = null; Math.random = () => 4; Math.max = null;"
            + " /(secret)(x)?/.exec('a secret'); RegExp.prototype.exec = () => null;"
            + " Bot.sendMessage(RegExp.$1)",
        Expect.answers("secret"));
    add(
        all,
        "leftover: frozen and sealed standard objects",
        "Object.freeze(Object.prototype); Object.freeze(Array.prototype); Object.freeze(JSON);"
            + " Object.seal(globalThis); Object.preventExtensions(Math); Bot.sendMessage('ok')",
        Expect.answers("ok"));
    add(
        all,
        "leftover: host objects mutated",
        "Bot.extra = 1; User.x = 1; Libs.Webhooks.getUrlFor = null; CryptoJS.SHA256 = () => 'x';"
            + " WebApp.render = null; Libs.Other = {}; Object.setPrototypeOf(Bot, null);"
            + " Bot.sendMessage = () => {}; Bot.sendMessage('lost')",
        Expect.answers(null));
    add(
        all,
        "leftover: globals",
        "globalLeak = 1; var leaked = 2; this.leak3 = 3; globalThis.content = 'x';"
            + " Object = null; Array = null; JSON = null; String = null; Bot.sendMessage('ok')",
        Expect.answers("ok"));
    add(
        all,
        "leftover: getters on shared prototypes",
        "Object.defineProperty(Object.prototype, 'toJSON', {get() { for (;;) {} }});"
            + " Object.defineProperty(Object.prototype, 'answer', {get() { for (;;) {} }});"
            + " Object.defineProperty(Array.prototype, 0, {get() { for (;;) {} }, set(v) {}});"
            + " Bot.sendMessage('ok')",
        Expect.answers("ok"));
    add(
        all,
        "leftover: pending promises",
        "Promise.resolve().then(() => { Object.prototype.late = 1 }); new Promise(() => {});"
            + " Promise.reject(new Error('x'));"
            + " Promise.resolve().then(() => Promise.resolve().then(() => { globalLeak = 1 }));"
            + " Bot.sendMessage('ok')",
        Expect.answers("ok"));
    add(
        all,
        "leftover: promise job after a failed run",
        "Promise.resolve().then(() => { Object.prototype.polluted = 1 }); throw new Error('stop')",
        Expect.fails());
    add(
        all,
        "leftover: iterators, symbols, errors and dates",
        "Array.prototype[Symbol.iterator] = function* () { yield 'evil' };"
            + " Object.getPrototypeOf([][Symbol.iterator]()).next = () => ({done: true});"
            + " Error.prototype.toString = () => 'x'; Error.captureStackTrace = 1;"
            + " Date.prototype.toISOString = () => 'x'; Date.now = () => 0;"
            + " Map.prototype.get = null; Set.prototype.add = null; Bot.sendMessage('ok')",
        Expect.answers("ok"));
    add(
        all,
        "leftover: tagged template arrays",
        "function t(s) { try { s.polluted = 1 } catch (e) {} return s.length } Bot.sendMessage(''"
            + " + t`a${1}b`)",
        Expect.answers("2"));
  }

  private static void outlastLimits(List<Attack> all) {
    add(all, "time: plain loop", "while (true) {}", Expect.fails(TIME));
    add(
        all,
        "time: loop catching the stop signal",
        "for (;;) { try { for (;;) {} } catch (e) {} }",
        Expect.fails(TIME));
    add(
        all,
        "time: loop in finally",
        "try { for (;;) {} } finally { for (;;) {} }",
        Expect.fails(TIME));
    add(
        all,
        "time: finally that continues",
        "for (;;) { try { for (;;) {} } finally { continue; } }",
        Expect.fails(TIME));
    add(
        all,
        "time: recursion from catch",
        "function f() { try { while (1) {} } catch (e) { f() } } f()",
        Expect.fails(TIME));
    add(
        all,
        "time: loop of failing host calls",
        "for (;;) { try { Bot.getProperty() } catch (e) {} }",
        Expect.fails());
    add(all, "time: loop in eval", "eval('for (;;) {}')", Expect.fails());
    add(all, "time: loop in Function", "Function('for (;;) {}')()", Expect.fails(TIME));
    add(
        all,
        "time: generator loop",
        "function* g() { for (;;) yield 1 } for (var x of g()) {}",
        Expect.fails());
    add(
        all,
        "time: sort comparator loop",
        "[3, 1, 2].sort(() => { for (;;) {} })",
        Expect.fails(TIME));
    add(
        all,
        "time: replace callback loop",
        "'aaa'.replace(/a/g, () => { for (;;) {} })",
        Expect.fails(TIME));
    add(
        all,
        "time: endless microtasks",
        "(function f() { Promise.resolve().then(f) })(); Bot.sendMessage('ok')",
        Expect.fails());
    add(
        all,
        "time: long promise chain",
        "var p = Promise.resolve(); for (var i = 0; i < 1e7; i++) p = p.then(x => x)",
        Expect.fails());
    add(
        all,
        "time: getter loop read by the host",
        "var o = {}; Object.defineProperty(o, 'x', {get() { for (;;) {} }, enumerable: true});"
            + " Bot.setProperty('p', o)",
        Expect.fails(TIME));
    add(all, "time: catastrophic regex", "/^(a+)+$/.test('a'.repeat(40) + 'b')", Expect.fails());
    add(
        all,
        "size: indexOf on a sparse array",
        "var a = []; a.length = 2 ** 32 - 1; a.indexOf(1)",
        Expect.fails());
    add(
        all,
        "size: generic method on a huge length",
        "Array.prototype.indexOf.call({length: 2 ** 53 - 1}, 1)",
        Expect.fails());
    add(
        all,
        "size: join of a sparse array",
        "var a = []; a.length = 2 ** 32 - 1; a.join('x')",
        Expect.fails());
    add(all, "size: repeat", "'x'.repeat(1 << 28)", Expect.fails());
    add(all, "size: padStart", "'x'.padStart(2 ** 30, 'ab')", Expect.fails());
    add(
        all,
        "size: JSON.stringify of a small DAG",
        "var o = {}; for (var i = 0; i < 40; i++) o = {a: o, b: o}; JSON.stringify(o)",
        Expect.fails());
    add(
        all,
        "size: deep JSON.parse",
        "JSON.parse('['.repeat(100000) + ']'.repeat(100000))",
        Expect.fails());
    add(
        all,
        "size: Set of a sparse array",
        "var a = []; a.length = 2 ** 32 - 1; new Set(a)",
        Expect.fails());
    add(
        all,
        "size: Promise.all of a sparse array",
        "var a = []; a.length = 2 ** 32 - 1; Promise.all(a)",
        Expect.fails());
    add(
        all,
        "size: spread of a sparse array",
        "var a = []; a.length = 2 ** 32 - 1; [...a]",
        Expect.fails());
    add(all, "size: split into characters", "'x'.repeat(1 << 23).split('').length", Expect.fails());
    add(
        all,
        "size: uneval of a small DAG",
        "var o = {}; for (var i = 0; i < 40; i++) o = {a: o, b: o}; uneval(o)",
        Expect.fails());
    add(
        all,
        "size: String of a DAG of arrays",
        "var o = [1]; for (var i = 0; i < 40; i++) o = [o, o]; String(o)",
        Expect.fails());
    add(
        all,
        "size: flat of a DAG of arrays",
        "var o = [1]; for (var i = 0; i < 40; i++) o = [o, o]; o.flat(Infinity)",
        Expect.fails());
    add(
        all,
        "size: flatMap returning sparse arrays",
        "var a = []; a.length = 2 ** 32 - 1; [1].flatMap(() => a)",
        Expect.fails());
    add(
        all,
        "size: toSource of a small DAG",
        "var o = [1]; for (var i = 0; i < 40; i++) o = [o, o]; o.toSource()",
        Expect.fails());
    add(
        all,
        "time: BigInt through the generator function constructor",
        "var G = typeof __GeneratorFunction == 'function' ? __GeneratorFunction"
            + " : Object.getPrototypeOf(function* () {}).constructor;"
            + " G('yield 3n ** 30000000n')().next()",
        Expect.fails());
    add(
        all,
        "size: Object.keys of a long string",
        "Object.keys('x'.repeat(1 << 23)).length",
        Expect.fails());
    add(
        all,
        "size: for-in over a long string",
        "var s = 'x'; for (var i = 0; i < 25; i++) s += s; var n = 0; for (var k in s) { n++; } n",
        Expect.failsWith("listing the keys of a string of 33554432 characters"));
    add(
        all,
        "size: Object.assign from a long string",
        "var s = 'x'; for (var i = 0; i < 25; i++) s += s; Object.assign({}, s)",
        Expect.fails());
    add(
        all,
        "size: replace with the text before each match",
        "'x'.repeat(1 << 20).replace(/x/g, '$`').length",
        Expect.fails());
    add(
        all,
        "size: encodeURIComponent of a long string",
        "var s = '\\u00e9'; for (var i = 0; i < 25; i++) s += s; encodeURIComponent(s).length",
        Expect.fails());
    add(
        all,
        "size: apply with a huge array-like",
        "Math.max.apply(null, {length: 1e9})",
        Expect.fails());
    add(
        all,
        "size: reading a string doubled 28 times",
        "var s = 'x'; for (var i = 0; i < 28; i++) s += s; s.charAt(5)",
        Expect.fails());
    add(
        all,
        "size: doubling past the maximum string length, caught",
        "var s = 'x'; try { for (;;) s += s } catch (e) { for (;;) s = s + 'y' }",
        Expect.fails());
  }

  private static void exhaustMemoryOrStack(List<Attack> all) {
    add(all, "stack: plain recursion", "function f() { f() } f()", Expect.fails());
    add(
        all,
        "stack: recursion through Array.prototype.map",
        "[1].map(function f() { return [1].map(f) })",
        Expect.fails());
    add(
        all,
        "stack: toJSON recursion",
        "var o = {toJSON() { return JSON.stringify(o) }}; JSON.stringify(o)",
        Expect.fails());
    add(
        all,
        "stack: getter calling itself",
        "var o = {get x() { return this.x }}; o.x",
        Expect.fails());
    add(
        all,
        "stack: sort comparator recursion",
        "[3, 2, 1].sort(function c(a, b) { return [2, 1].sort(c) })",
        Expect.fails());
    add(
        all,
        "stack: replace callback recursion",
        "'ab'.replace(/a/g, function r() { return 'ab'.replace(/a/g, r) })",
        Expect.fails());
    add(
        all,
        "stack: toString of deeply nested arrays",
        "var a = []; for (var i = 0; i < 1e6; i++) a = [a]; String(a)",
        Expect.fails());
    add(
        all,
        "memory: growth",
        "var a = []; for (;;) a.push(new Array(1000).fill('x'))",
        Expect.fails());
    add(all, "memory: endless doubling", "var s = 'x'; while (true) s += s;", Expect.fails());
    add(
        all,
        "memory: many keys",
        "var o = {}; for (var i = 0; ; i++) o['k' + i] = i;",
        Expect.fails());
  }

  private static void flood(List<Attack> all) {
    add(
        all,
        "flood: messages",
        "for (;;) { try { Bot.sendMessage('m') } catch (e) {} }",
        Expect.fails(Settings.Env.MAX_MESSAGES));
    add(
        all,
        "flood: recorded API calls",
        "for (;;) { try { Api.sendMessage({}) } catch (e) {} }",
        Expect.fails(Settings.Env.MAX_MESSAGES));
    add(
        all,
        "flood: message size",
        "Bot.sendMessage('x'.repeat(5000))",
        Expect.fails(Settings.Env.MAX_MESSAGE_CHARS));
    add(
        all,
        "flood: nested runs",
        "Bot.runCommand(command.name)",
        Expect.fails(Settings.Env.MAX_RUN_DEPTH));
    add(
        all,
        "flood: chained runs",
        "for (;;) { try { Bot.run({command: '/x'}) } catch (e) {} }",
        Expect.fails(Settings.Env.MAX_RUNS));
    add(
        all,
        "flood: property size",
        "Bot.setProperty('big', 'x'.repeat(100000))",
        Expect.fails(Settings.Env.MAX_PROPERTY_BYTES));
    add(
        all,
        "flood: property count",
        "for (var i = 0; ; i++) Bot.setProperty('p' + i, i)",
        Expect.fails());
  }

  private static void forgeTheAnswer(List<Attack> all) {
    add(
        all,
        "forge: hostile characters in the answer",
        "Bot.sendMessage('q\"uote\\\\back\\r\\nCRLF\\u2028LS\\u2029PS\\u0000NUL</script>"
            + "\\ud800lone\\udc00x\\ud83d\\ude00')",
        Expect.answers(
            "q\"uote\\back\r\n"
                + "CRLF\u2028LS\u2029PS\u0000NUL</script>\ud800lone\udc00x\ud83d\ude00"));
    add(
        all,
        "forge: the script's JSON and toString are not used",
        "String.prototype.toString = () => 'forged'; JSON.stringify = () => 'forged';"
            + " Object.prototype.toJSON = () => 'forged'; Bot.sendMessage('real')",
        Expect.answers("real"));
    add(
        all,
        "forge: toString that throws",
        "Bot.sendMessage({toString() { throw new Error('x') }})",
        Expect.fails());
    add(
        all,
        "forge: toString that loops",
        "Bot.sendMessage({toString() { for (;;) {} }})",
        Expect.fails(TIME));
    add(
        all,
        "forge: valueOf when toString is not callable",
        "Bot.sendMessage({toString: null, valueOf() { return 'v' }})",
        Expect.answers("v"));
    add(
        all,
        "forge: toJSON is not the text",
        "Bot.sendMessage({toJSON() { return 'j' }, toString() { return 's' }})",
        Expect.answers("s"));
    add(
        all,
        "forge: proxy whose traps loop",
        "Bot.sendMessage(new Proxy({}, {get() { for (;;) {} }}))",
        Expect.fails(TIME));
    add(all, "forge: symbol as text", "Bot.sendMessage(Symbol('s'))", Expect.fails());
    add(
        all,
        "forge: render hostile html",
        "WebApp.render({content: '<script>alert(1)</script>\\r\\nX-Injected: 1'})",
        Expect.renders("text/html", "<script>alert(1)</script>\r\nX-Injected: 1"));
    add(
        all,
        "forge: render with an injected mime type",
        "WebApp.render({content: 'x', mime_type: 'text/html\\r\\nSet-Cookie: a=1'})",
        Expect.fails());
    add(
        all,
        "forge: render with an unlisted mime type",
        "WebApp.render({content: '<svg/>', mime_type: 'image/svg+xml'})",
        Expect.fails());
    add(
        all,
        "forge: render with a charset",
        "WebApp.render({content: 'x', mime_type: 'text/html; charset=utf-7'})",
        Expect.fails());
    add(
        all,
        "forge: render JSON whose toJSON loops",
        "WebApp.render({content: {a: 1, toJSON() { for (;;) {} }}, mime_type: 'application/json'})",
        Expect.contained());
    add(
        all,
        "forge: render content getter loops",
        "WebApp.render({get content() { for (;;) {} }})",
        Expect.fails(TIME));
    add(
        all,
        "forge: redirect with a header injection is refused at mint",
        "try { Libs.Webhooks.getUrlFor({command: '/x', redirect_to:"
            + " 'https://a.test/\\r\\nSet-Cookie: x=1'}); Bot.sendMessage('minted') }"
            + " catch (e) { Bot.sendMessage('refused') }",
        Expect.answers("refused"));
  }

  // ---- the checks ---------------------------------------------------------------------------

  /**
   * Source nested too deeply for any parser, or too deeply for a run to compile (a plain chain of
   * 20,000 terms, which parses), is refused when it is uploaded, as plain JSON.
   */
  @Test
  void deeplyNestedSource_isRefusedAtUpload_andAnotherBotStaysClean() throws Exception {
    for (String source :
        List.of(
            "Bot.sendMessage(String(" + "[".repeat(20_000) + "]".repeat(20_000) + "))",
            "var a = 1; var x = a" + "+a".repeat(20_000) + "; Bot.sendMessage(String(x))")) {
      String answer = api(a, "PUT", "/commands/%2Fdeep", "text/plain", source, 400);
      assertThat(Json.parse(answer).get("error").asText()).startsWith("syntax error at line 1");
      assertThat(answer).doesNotContain("org.mozilla", "java.", "dev.botwebhooks", "Exception");
    }
    assertThat(canaryAnswer()).isEqualTo(baseline);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attacks")
  @Order(1)
  void attack_isContained_andAnotherBotStaysClean(Attack attack) throws Exception {
    String name = "/attack" + commands.incrementAndGet();
    api(
        a,
        "PUT",
        "/commands/" + encode(name),
        "text/plain",
        attack.source().replace("%B%", b.id()),
        200);
    JsonNode hook =
        Json.parse(
            api(a, "POST", "/webhooks", "application/json",
                "{\"command\":\"" + name + "\",\"user_id\":\"7\"}", 201));
    String url = server.baseUrl() + URI.create(hook.get("url").asText()).getRawPath();

    long started = System.nanoTime();
    HttpResponse<byte[]> hit = client.send(get(url), BodyHandlers.ofByteArray());
    long millis = (System.nanoTime() - started) / 1_000_000;

    assertThat(deployment.abandonedRuns()).as("runs abandoned past their deadline").isZero();
    assertThat(millis)
        .as("answered within the limit plus a margin")
        .isLessThan(LIMIT_MS + MARGIN_MS);
    // The hit is answered only once its run has ended (an abandoned run is counted above), so the
    // logged duration, from arrival to answer, bounds when the run ended.
    JsonNode logged =
        Json.parse(api(a, "GET", "/hits?hook_id=" + hook.get("id").asText(), null, "", 200))
            .path("items")
            .path(0);
    assertThat(logged.path("duration_ms").asLong(Long.MAX_VALUE))
        .as("the run ended within the limit plus 0.8 s: " + logged)
        .isLessThanOrEqualTo(LIMIT_MS + RUN_END_MARGIN_MS);
    String body = utf8(hit.body());
    assertThat(hit.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(body)
        .doesNotContain("org.mozilla", "java.", "dev.botwebhooks", "Exception", "\tat ");
    Expect expect = attack.expect();
    switch (expect.kind()) {
      case "fails" -> assertFailed(hit, body, expect.limit(), expect.text());
      case "answers" -> assertAnswer(hit, body, expect.text());
      case "contained" -> {
        assertThat(hit.statusCode()).isIn(200, 503);
        assertThat(hit.headers().firstValue("Content-Type")).contains("application/json");
        Json.parse(body);
      }
      default -> {
        String mime = expect.kind().substring("renders:".length());
        assertThat(hit.statusCode()).as(body).isEqualTo(200);
        assertThat(hit.headers().firstValue("Content-Type")).contains(mime + "; charset=utf-8");
        assertThat(hit.headers().map()).doesNotContainKeys("x-injected", "set-cookie");
        assertThat(body).isEqualTo(expect.text());
      }
    }

    long canaryStarted = System.nanoTime();
    String canary = canaryAnswer();
    long canaryMillis = (System.nanoTime() - canaryStarted) / 1_000_000;
    assertThat(canary).as("bot B's view after the attack").isEqualTo(baseline);
    assertThat(canaryMillis).as("the canary answers quickly").isLessThan(LIMIT_MS);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://a.test/\r\nSet-Cookie: x=1",
        "https://a.test/\nLocation: https://evil.test",
        "https://a.test/\u0000",
        "https://a.test/ x",
        "https://a.test/\u2028x",
        "javascript:alert(1)",
        "//evil.test/x",
        "https://user:pass@a.test/"
      })
  void redirectWithHeaderInjection_isRefusedAtMint(String redirect) throws Exception {
    String json = Json.MAPPER.writeValueAsString(Map.of("command", "/x", "redirect_to", redirect));
    HttpResponse<byte[]> minted =
        client.send(
            apiRequest(a, "POST", "/webhooks", "application/json", json),
            BodyHandlers.ofByteArray());

    assertThat(minted.statusCode()).isEqualTo(400);
    assertThat(Json.parse(utf8(minted.body())).path("error").asText()).contains("redirect_to");
  }

  @org.junit.jupiter.api.Test
  void percentEncodedLineBreaksInRedirect_stayInTheLocation() throws Exception {
    api(a, "PUT", "/commands/" + encode("/redirected"), "text/plain", "Bot.sendMessage('r')", 200);
    String target = "https://a.test/p%0d%0aSet-Cookie:%20x=1";
    String url = mint(a, "{\"command\":\"/redirected\",\"redirect_to\":\"" + target + "\"}");

    HttpResponse<byte[]> hit = client.send(get(url), BodyHandlers.ofByteArray());

    assertThat(hit.statusCode()).isEqualTo(302);
    assertThat(hit.headers().allValues("Location")).containsExactly(target);
    assertThat(hit.headers().map()).doesNotContainKey("set-cookie");
  }

  private void assertFailed(HttpResponse<byte[]> hit, String body, String limit, String reason)
      throws Exception {
    assertThat(hit.statusCode()).as(body + " / last error " + lastError()).isEqualTo(503);
    assertThat(hit.headers().firstValue("Content-Type")).contains("application/json");
    JsonNode json = Json.parse(body);
    assertThat(json.path("error").asText()).isEqualTo("command failed");
    assertThat(json.path("request_id").isTextual()).isTrue();
    assertThat(json.size()).isEqualTo(2);
    JsonNode error = lastError();
    assertThat(error).isNotNull();
    if (limit != null) {
      assertThat(error.path("limit").asText(null)).as(error.toString()).isEqualTo(limit);
    }
    if (reason != null) {
      assertThat(error.path("message").asText()).as(error.toString()).contains(reason);
      assertThat(error.path("limit").isNull() || error.path("limit").isMissingNode())
          .as(error.toString())
          .isTrue();
    }
  }

  private void assertAnswer(HttpResponse<byte[]> hit, String body, String text) throws Exception {
    assertThat(hit.statusCode()).as(body + " / last error " + lastError()).isEqualTo(200);
    assertThat(hit.headers().firstValue("Content-Type")).contains("application/json");
    JsonNode json = Json.parse(body);
    assertThat(json.size()).isEqualTo(1);
    if (text == null) {
      assertThat(json.get("answer").isNull()).as(body).isTrue();
    } else {
      assertThat(json.get("answer").isTextual()).as(body).isTrue();
      assertThat(json.get("answer").textValue()).as(escaped(body)).isEqualTo(text);
    }
  }

  /**
   * After the pass over every attack: no run was abandoned, no run's thread is still busy, the
   * process is idle (under 15% of one core, measured over two seconds, 10 s after the pass) and
   * its heap after a full collection is within 256 MiB of where it started.
   */
  @Test
  @Order(99)
  void afterAllAttacks_theServerIsIdle_andItsHeapIsBack() throws Exception {
    assertThat(deployment.abandonedRuns()).isZero();
    // The attacker's outbox lists, whatever its runs tried to keep.
    assertThat(Json.parse(api(a, "GET", "/messages?limit=100", null, "", 200)).path("items").isArray())
        .isTrue();
    HttpResponse<byte[]> health =
        client.send(get(server.baseUrl() + LocalServer.HEALTH_PATH), BodyHandlers.ofByteArray());
    JsonNode state = Json.parse(utf8(health.body()));
    assertThat(state.path("abandoned_runs").asInt())
        .isEqualTo(dev.botwebhooks.script.RhinoScriptRuntime.abandonedInProcess());
    assertThat(state.path("faulted_runs").asInt())
        .isEqualTo(dev.botwebhooks.script.RhinoScriptRuntime.faultedInProcess());
    boolean trusted = state.path("abandoned_runs").asInt() == 0 && state.path("faulted_runs").asInt() == 0;
    assertThat(health.statusCode()).isEqualTo(trusted ? 200 : 503);

    Thread.sleep(10_000);
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long cpuStart = os.getProcessCpuTime();
    long wallStart = System.nanoTime();
    Thread.sleep(2_000);
    double share = (os.getProcessCpuTime() - cpuStart) / (double) (System.nanoTime() - wallStart);
    assertThat(share).as("share of one core used 10 s after the pass").isLessThan(0.15);
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    for (java.lang.management.ThreadInfo t : threads.dumpAllThreads(false, false)) {
      if (t.getThreadName().startsWith("script-run-")) {
        assertThat(t.getThreadState()).as(t.getThreadName()).isNotEqualTo(Thread.State.RUNNABLE);
      }
    }
    long grown = heapAfterFullGc() - heapBefore;
    assertThat(grown).as("heap growth after a full GC, bytes").isLessThan(256L << 20);
  }

  private static long heapAfterFullGc() throws InterruptedException {
    java.lang.management.MemoryMXBean memory =
        java.lang.management.ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  // ---- HTTP helpers -------------------------------------------------------------------------

  private String canaryAnswer() throws Exception {
    HttpResponse<byte[]> hit = client.send(get(canaryUrl), BodyHandlers.ofByteArray());
    String body = utf8(hit.body());
    assertThat(hit.statusCode()).as("canary: " + body + " " + lastError(b)).isEqualTo(200);
    assertThat(hit.headers().firstValue("Content-Type")).contains("text/plain; charset=utf-8");
    return body;
  }

  private JsonNode lastError() throws Exception {
    return lastError(a);
  }

  private JsonNode lastError(BotKeys bot) throws Exception {
    JsonNode page = Json.parse(api(bot, "GET", "/errors?limit=1", null, "", 200));
    JsonNode items = page.path("items");
    return items.size() == 0 ? null : items.get(0);
  }

  private BotKeys createBot(String name) throws Exception {
    HttpResponse<byte[]> r =
        client.send(
            request("POST", "/bots", ADMIN_KEY, "application/json", "{\"name\":\"" + name + "\"}"),
            BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(201);
    JsonNode bot = Json.parse(utf8(r.body()));
    return new BotKeys(bot.get("id").asText(), bot.get("api_key").asText());
  }

  /** Mints a hook through the bot API and returns the URL on the local server. */
  private String mint(BotKeys bot, String json) throws Exception {
    JsonNode hook = Json.parse(api(bot, "POST", "/webhooks", "application/json", json, 201));
    URI url = URI.create(hook.get("url").asText());
    return server.baseUrl() + url.getRawPath();
  }

  private String api(BotKeys bot, String method, String path, String type, String body, int status)
      throws Exception {
    HttpResponse<byte[]> r =
        client.send(apiRequest(bot, method, path, type, body), BodyHandlers.ofByteArray());
    String text = utf8(r.body());
    assertThat(r.statusCode()).as(method + " " + path + " -> " + text).isEqualTo(status);
    return text;
  }

  private HttpRequest apiRequest(
      BotKeys bot, String method, String path, String type, String body) {
    return request(method, "/bots/" + bot.id() + path, bot.key(), type, body);
  }

  private HttpRequest request(String method, String path, String key, String type, String body) {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + key)
            .method(method, BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (type != null) {
      r.header("Content-Type", type + "; charset=utf-8");
    }
    return r.build();
  }

  private static HttpRequest get(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build();
  }

  private static String encode(String name) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8);
  }

  private static String escaped(String text) {
    StringBuilder out = new StringBuilder();
    text.chars()
        .forEach(c -> out.append(c < 32 || c > 126 ? String.format("\\u%04x", c) : (char) c));
    return out.toString();
  }

  /** Decodes strictly: a body that is not valid UTF-8 fails the test. */
  private static String utf8(byte[] bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
  }
}
