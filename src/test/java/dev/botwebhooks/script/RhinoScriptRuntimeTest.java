package dev.botwebhooks.script;

import static dev.botwebhooks.script.Runs.cmd;
import static dev.botwebhooks.script.Runs.code;
import static dev.botwebhooks.script.Runs.request;
import static dev.botwebhooks.script.Runs.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.core.BotCode;
import dev.botwebhooks.core.Command;
import dev.botwebhooks.core.Library;
import dev.botwebhooks.core.PropertyType;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.core.RunResult;
import dev.botwebhooks.core.StoreUnavailableException;
import dev.botwebhooks.json.Json;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RhinoScriptRuntimeTest {
  private static final long TIME = 2_000;
  private final RhinoScriptRuntime runtime = new RhinoScriptRuntime(Runs.limits(TIME));
  private final MapRunHost host = new MapRunHost();

  private RunResult run(String source) {
    return runtime.run(request(code("b1", cmd("/c", source)), "/c", TIME), host);
  }

  private RunResult.Completed completed(RunResult result) {
    assertThat(result).isInstanceOf(RunResult.Completed.class);
    return (RunResult.Completed) result;
  }

  private String single(String source) {
    RunResult result = run(source);
    assertThat(result).isInstanceOf(RunResult.Completed.class);
    List<String> texts = texts(result);
    assertThat(texts).hasSize(1);
    return texts.get(0);
  }

  @Test
  void sendMessage_capturesTextAndOptions() {
    RunResult.Completed c = completed(run("Bot.sendMessage('hi', {parse_mode: 'HTML'});"));
    RunResult.Output.Message m = (RunResult.Output.Message) c.outputs().get(0);
    assertThat(m.text()).isEqualTo("hi");
    assertThat(m.keyboard().get("parse_mode").asText()).isEqualTo("HTML");
    assertThat(c.lastMessage()).contains("hi");
    assertThat(c.messagesUsed()).isEqualTo(1);
    assertThat(c.runsUsed()).isEqualTo(1);
  }

  @Test
  void sendMessage_withoutOptions_hasNullKeyboard() {
    RunResult.Completed c = completed(run("Bot.sendMessage(5)"));
    RunResult.Output.Message m = (RunResult.Output.Message) c.outputs().get(0);
    assertThat(m.text()).isEqualTo("5");
    assertThat(m.keyboard()).isNull();
  }

  @Test
  void keyboards_keepButtonsWithMessage() {
    RunResult.Completed c =
        completed(
            run(
                "Bot.sendKeyboard('a,b\\nc', 'pick');"
                    + "Bot.sendInlineKeyboard([{title: 'x', command: '/x'}], 'inline');"));
    RunResult.Output.Message first = (RunResult.Output.Message) c.outputs().get(0);
    RunResult.Output.Message second = (RunResult.Output.Message) c.outputs().get(1);
    assertThat(first.text()).isEqualTo("pick");
    assertThat(first.keyboard().asText()).isEqualTo("a,b\nc");
    assertThat(second.keyboard().get(0).get("command").asText()).isEqualTo("/x");
  }

  @Test
  void globals_areSet() {
    ObjectNode options = Json.object().put("method", "POST");
    options.putObject("headers").put("X-Hmac", "abc");
    options.putObject("params").put("a", "1");
    RunResult r =
        runtime.run(
            request(
                code(
                    "b1",
                    cmd(
                        "/c",
                        "Bot.sendMessage([content, params, message, user.id, user.first_name,"
                            + " user.last_name, bot.id, bot.name, command.name, chat.chatid, request,"
                            + " tgUpdate, completed_commands_count, options.method,"
                            + " options.headers['x-hmac'], options.headers.X_HMAC,"
                            + " options.params.a, Object.keys(options.headers).length,"
                            + " request?.data].join('|'))")),
                "/c /done now",
                options,
                TIME),
            host);
    assertThat(texts(r))
        .containsExactly(
            "the content|/done now|/c /done now|42|Ann||b1|Test bot|/c|4242|||0|POST|abc||1|1|");
  }

  @Test
  void globals_userIsNullOnGlobalHook() {
    RunResult r = runtime.run(Runs.global(code("b1", cmd("/c", "Bot.sendMessage(String(user))")),
        "/c", TIME), host);
    assertThat(texts(r)).containsExactly("null");
  }

  @Test
  void body_topLevelReturnEndsCommand() {
    assertThat(single("Bot.sendMessage('one'); return; Bot.sendMessage('two');"))
        .isEqualTo("one");
  }

  @Test
  void es6_featuresWork() {
    String text =
        single(
            "const o = {a: {b: [1, 2, 3]}}; let {a: {b: [x, y, z]}} = o;"
                + "const f = function(...n) { return n.reduce((s, v) => s + v, 0) };"
                + "const m = new Map([[1, 'one']]); const all = [...o.a.b, 4];"
                + "const merged = {...{p: 1}, q: 2};"
                + "Bot.sendMessage(`${x}-${f(y, z)}-${o?.z?.q}-${m.get(1)}-${all.length}"
                + "-${merged.p + merged.q}`);");
    assertThat(text).isEqualTo("1-5-undefined-one-4-3");
  }

  @Test
  void beforeAndAfterAll_runAroundCommandInSameScope() {
    BotCode code =
        code(
            "b1",
            cmd("@", "var greeting = 'hello'; function shout(s) { return s.toUpperCase(); }"),
            cmd("/c", "Bot.sendMessage(shout(greeting));"),
            cmd("@@", "Bot.sendMessage('after');"));
    assertThat(texts(runtime.run(request(code, "/c", TIME), host)))
        .containsExactly("HELLO", "after");
  }

  @Test
  void unknownCommand_failsWithName() {
    RunResult r = runtime.run(request(code("b1", cmd("/c", "")), "/nope x", TIME), host);
    assertThat(r).isEqualTo(new RunResult.Failed("command not found: /nope", Optional.empty()));
  }

  @Test
  void alias_runsCommand() {
    BotCode code =
        new BotCode("b1", 1, List.of(new Command("/c", List.of("/alias"), "Bot.sendMessage(command.name)", 1)),
            List.of());
    assertThat(texts(runtime.run(request(code, "/alias", TIME), host))).containsExactly("/alias");
  }

  @Test
  void throw_failsRunWithMessage() {
    RunResult r = run("throw new Error('boom')");
    assertThat(r).isInstanceOf(RunResult.Failed.class);
    assertThat(((RunResult.Failed) r).message()).contains("Error: boom");
    RunResult s = run("throw 'plain'");
    assertThat(((RunResult.Failed) s).message()).contains("plain");
  }

  @Test
  void syntaxError_failsRun() {
    RunResult r = run("let = = ;");
    assertThat(r).isInstanceOf(RunResult.Failed.class);
  }

  @Test
  void inspect_usesJsonForObjects() {
    assertThat(single("Bot.sendMessage(inspect({a: [1, 'x'], b: null, f: function(){}}))"))
        .isEqualTo("{\n  \"a\": [\n    1,\n    \"x\"\n  ],\n  \"b\": null\n}");
    assertThat(single("Bot.inspect(12.5)")).isEqualTo("12.5");
    assertThat(single("Bot.sendMessage(inspect('s') + inspect([]) + inspect(undefined))"))
        .isEqualTo("s[]undefined");
  }

  @Test
  void runCommand_runsNestedWithParamsAndRestoresOptions() {
    BotCode code =
        code(
            "b1",
            cmd(
                "/c",
                "options = {mine: 1}; Bot.runCommand('/n a b', {theirs: 2});"
                    + "Bot.sendMessage(JSON.stringify(options) + params + command.name"
                    + " + completed_commands_count);"),
            cmd(
                "/n",
                "Bot.sendMessage(params + '|' + options.theirs + '|' + command.name + '|'"
                    + " + completed_commands_count);"));
    RunResult.Completed c = completed(runtime.run(request(code, "/c", TIME), host));
    assertThat(texts(c)).containsExactly("a b|2|/n|1", "{\"mine\":1}/c1");
    assertThat(c.runsUsed()).isEqualTo(2);
  }

  @Test
  void runCommand_exceptionPropagatesToCaller() {
    BotCode code =
        code(
            "b1",
            cmd("/c", "try { Bot.runCommand('/n'); } catch (e) { Bot.sendMessage('caught ' + e.message); }"),
            cmd("/n", "throw new Error('inner')"));
    assertThat(texts(runtime.run(request(code, "/c", TIME), host)))
        .containsExactly("caught inner");
  }

  @Test
  void runCommand_depthLimit_failsNamingLimit() {
    BotCode code = code("b1", cmd("/c", "Bot.runCommand('/c')"));
    RunResult r = runtime.run(request(code, "/c", TIME), host);
    assertThat(r).isInstanceOf(RunResult.Failed.class);
    assertThat(((RunResult.Failed) r).limit()).isPresent();
  }

  @Test
  void runCommand_depthLimitCannotBeCaught() {
    BotCode code =
        code("b1", cmd("/c", "try { Bot.runCommand('/n') } catch (e) {} Bot.sendMessage('x')"),
            cmd("/n", "try { Bot.runCommand('/n') } catch (e) {}"));
    RunResult r = runtime.run(request(code, "/c", TIME), host);
    assertThat(r).isInstanceOf(RunResult.Failed.class);
    assertThat(((RunResult.Failed) r).limit()).contains("MAX_RUN_DEPTH");
  }

  @Test
  void run_defersInCallOrder() {
    RunResult.Completed c =
        completed(
            run(
                "Bot.run({command: '/a x', options: {k: 1}});"
                    + "Bot.run({command: '/b', user_id: 7, run_after: 60, label: 'later'});"));
    assertThat(c.deferred()).hasSize(2);
    RunResult.DeferredRun a = c.deferred().get(0);
    assertThat(a.message()).isEqualTo("/a x");
    assertThat(a.options().get("k").asInt()).isEqualTo(1);
    assertThat(a.userId()).contains("42");
    assertThat(a.runAfter()).isEqualTo(Duration.ZERO);
    RunResult.DeferredRun b = c.deferred().get(1);
    assertThat(b.userId()).contains("7");
    assertThat(b.runAfter()).isEqualTo(Duration.ofSeconds(60));
    assertThat(b.label()).isEqualTo("later");
    assertThat(c.runsUsed()).isEqualTo(3);
  }

  @Test
  void run_pastMaxRuns_fails() {
    RunResult r = run("for (let i = 0; i < 10; i++) Bot.run({command: '/x'});");
    assertThat(r).isEqualTo(new RunResult.Failed("more than 6 runs in one hit", Optional.of("MAX_RUNS")));
  }

  @Test
  void messages_pastMaxMessages_fails() {
    RunResult r = run("for (let i = 0; i < 10; i++) { try { Bot.sendMessage('m'); } catch (e) {} }");
    assertThat(r).isInstanceOf(RunResult.Failed.class);
    assertThat(((RunResult.Failed) r).limit()).contains("MAX_MESSAGES");
  }

  @Test
  void messages_tooLong_fails() {
    RunResult r = run("Bot.sendMessage('x'.repeat(301))");
    assertThat(((RunResult.Failed) r).limit()).contains("MAX_MESSAGE_CHARS");
  }

  @Test
  void properties_roundTripAllTypes() {
    String text =
        single(
            "Bot.setProperty('i', 5); Bot.setProperty('f', 1.5); Bot.setProperty('s', 'str');"
                + "Bot.setProperty('t', 'long text', 'text'); Bot.setProperty('b', true);"
                + "Bot.setProperty('j', {a: [1, {b: 2}]});"
                + "Bot.setProperty('d', new Date(Date.UTC(2024, 0, 2, 3, 4, 5)));"
                + "Bot.setProperty('n', '12', 'integer');"
                + "var j = Bot.getProperty('j'); j.a.push(3);"
                + "Bot.sendMessage([Bot.getProperty('i') + 1, Bot.getProp('f'),"
                + " Bot.getProperty('s'), Bot.getProperty('t'), Bot.getProperty('b') === true,"
                + " JSON.stringify(Bot.getProperty('j')), Bot.getProperty('d'),"
                + " Bot.getProperty('n') + 1, Bot.getProperty('missing', 'dflt'),"
                + " Bot.getProperty('missing')].join('|'))");
    assertThat(text)
        .isEqualTo("6|1.5|str|long text|true|{\"a\":[1,{\"b\":2}]}|2024-01-02T03:04:05.000Z|13|dflt|");
    assertThat(host.properties.get("bot:i").type()).isEqualTo(PropertyType.INTEGER);
    assertThat(host.properties.get("bot:f").type()).isEqualTo(PropertyType.FLOAT);
    assertThat(host.properties.get("bot:t").type()).isEqualTo(PropertyType.TEXT);
    assertThat(host.properties.get("bot:j").type()).isEqualTo(PropertyType.JSON);
    assertThat(host.properties.get("bot:d").type()).isEqualTo(PropertyType.DATETIME);
  }

  @Test
  void properties_objectFormsUserFormsAndDelete() {
    String text =
        single(
            "Bot.setProperty({name: 'p', value: 3, type: 'float', user_id: 7});"
                + "User.setProperty('mine', 'v'); User.setProp({name: 'o', value: 1});"
                + "Bot.setProp('gone', 1); Bot.deleteProp('gone'); Bot.setProperty('nul', 1);"
                + "Bot.setProperty('nul', null);"
                + "Bot.sendMessage([Bot.getProperty({name: 'p', user_id: 7}), User.getProperty('mine'),"
                + " User.getProp({name: 'o'}), Bot.getProperty('gone', 'd'), Bot.getProperty('nul')].join('|'))");
    assertThat(text).isEqualTo("3|v|1|d|");
    assertThat(host.properties).containsKeys("user:7:p", "user:42:mine", "user:42:o");
    assertThat(host.properties).doesNotContainKeys("bot:gone", "bot:nul");
  }

  @Test
  void storeFailure_endsTheRunUncatchably_asItsOwnResult() {
    MapRunHost down =
        new MapRunHost() {
          @Override
          public Optional<PropertyValue> getProperty(Optional<String> userId, String name) {
            throw new StoreUnavailableException("read timed out", null);
          }
        };
    RunResult r =
        runtime.run(
            request(
                code(
                    "b1",
                    cmd(
                        "/c",
                        """
                        try { Bot.getProperty('a') } catch (e) { Bot.sendMessage('caught') }
                        finally { Bot.sendMessage('finally') }
                        Bot.sendMessage('went on');
                        """)),
                "/c",
                TIME),
            down);

    assertThat(r).isEqualTo(new RunResult.StoreUnavailable("read timed out"));
  }

  @Test
  void userProperties_withoutUser_fail() {
    RunResult r =
        runtime.run(Runs.global(code("b1", cmd("/c", "User.setProperty('a', 1)")), "/c", TIME), host);
    assertThat(((RunResult.Failed) r).message()).contains("need a user");
  }

  /** A name the bot API could not address (control characters, over 256 characters) is refused. */
  @Test
  void properties_namesWithControlCharacters_areATypeError() {
    assertThat(
            single(
                "try { Bot.setProperty('a\\u0000b', 1) } catch (e) { Bot.sendMessage(e.name + ': '"
                    + " + e.message) }"))
        .isEqualTo("TypeError: property name must not contain control characters");
    // Nor longer than a property key holds (the bot API's limit too).
    assertThat(
            single(
                "try { Bot.setProperty('p'.repeat(257), 1) } catch (e) { Bot.sendMessage(e.message) }"))
        .isEqualTo("property name longer than 256 characters");
    assertThat(host.properties).isEmpty();
  }

  @Test
  void properties_tooLarge_failsNamingLimit() {
    MapRunHost small = new MapRunHost(10);
    RunResult r =
        runtime.run(request(code("b1", cmd("/c", "try { Bot.setProperty('a', 'x'.repeat(50)) } catch (e) {}")), "/c", TIME), small);
    assertThat(r).isInstanceOf(RunResult.Failed.class);
    assertThat(((RunResult.Failed) r).limit()).contains("MAX_PROPERTY_BYTES");
  }

  /**
   * As the Bots.Business lib: {@code getUrlFor} mints for its {@code user_id} and, without one (or
   * with a false one, its {@code if (!options.user_id)}), for no user, as {@code getGlobalUrl}
   * does; {@code setApiKey} keeps its key in the bot property the lib keeps it in.
   */
  @Test
  void webhooksLib_mintsForUserAndGlobal() {
    String text =
        single(
            "var a = Libs.Webhooks.getUrlFor({command: '/onPay', content: {x: 1},"
                + " redirect_to: 'https://example.com/', user_id: user.id});"
                + "Libs.Webhooks.setApiKey('key-1');"
                + "var b = Libs.Webhooks.getGlobalUrl({command: '/g'});"
                + "var c = Libs.Webhooks.getUrlFor({command: '/o', user_id: 9});"
                + "var d = Libs.Webhooks.getUrlFor({command: '/o'});"
                + "var e = Libs.Webhooks.getUrlFor({command: '/o', user_id: ''});"
                + "Bot.sendMessage(a + ' ' + b + ' ' + c + ' ' + Bot.getProperty('webhook_lib_api_key'))");
    assertThat(text).startsWith("https://hooks.test/hooks/hook1 ").endsWith(" key-1");
    assertThat(host.minted.get(0).userId()).contains("42");
    assertThat(host.minted.get(0).content()).contains("{\"x\":1}");
    assertThat(host.minted.get(0).redirectTo()).contains("https://example.com/");
    assertThat(host.minted.get(1).userId()).isEmpty();
    assertThat(host.minted.get(2).userId()).contains("9");
    assertThat(host.minted.get(3).userId()).isEmpty();
    assertThat(host.minted.get(4).userId()).isEmpty();
  }

  @Test
  void webhooksLib_invalidRequest_isCatchableError() {
    assertThat(single("try { Libs.Webhooks.getUrlFor({}) } catch (e) { Bot.sendMessage(e.message) }"))
        .isEqualTo("command is required");
  }

  @Test
  void libraries_publishAndOnHandlers() {
    BotCode code =
        code(
            "b1",
            List.of(cmd("/c", "Bot.sendMessage(Libs.myLib.twice(21) + '')")),
            List.of(
                new Library(
                    "myLib",
                    "function twice(n) { return n * 2 }"
                        + "publish({twice: twice});"
                        + "on('myLibOnHit', function() { Bot.sendMessage('handled ' + params) });",
                    1),
                new Library("Webhooks", "publish({getUrlFor: function() { return 'evil' }})", 1)));
    assertThat(texts(runtime.run(request(code, "/c", TIME), host))).containsExactly("42");
    assertThat(texts(runtime.run(request(code, "myLibOnHit /userCmd", TIME), host)))
        .containsExactly("handled /userCmd");
    // The longest name wins, a handler's as a command's; at the same length, the command.
    BotCode nested =
        code(
            "b1",
            List.of(
                cmd("pay", "Bot.sendMessage('command pay: ' + params)"),
                cmd("pay now", "Bot.sendMessage('command pay now: ' + params)")),
            List.of(
                new Library(
                    "shop",
                    "on('pay card', function() { Bot.sendMessage('handler pay card: ' + params) });"
                        + "on('pay now', function() { Bot.sendMessage('handler pay now') });",
                    1)));
    assertThat(texts(runtime.run(request(nested, "pay card 10", TIME), host)))
        .containsExactly("handler pay card: 10");
    assertThat(texts(runtime.run(request(nested, "pay now 10", TIME), host)))
        .containsExactly("command pay now: 10");
    assertThat(texts(runtime.run(request(nested, "pay cash 10", TIME), host)))
        .containsExactly("command pay: cash 10");
    assertThat(
            texts(
                runtime.run(
                    request(
                        code("b1", List.of(cmd("/c", "Bot.sendMessage(Libs.Webhooks.getGlobalUrl({command: '/c'}))")),
                            code.libraries()),
                        "/c",
                        TIME),
                    host)))
        .containsExactly("https://hooks.test/hooks/hook1");
  }

  @Test
  void webApp_render_allowListAndJson() {
    RunResult.Completed c =
        completed(run("WebApp.render({content: {ok: true}, mime_type: 'application/json'})"));
    assertThat(c.rendered()).contains(new RunResult.Rendered("{\"ok\":true}", "application/json"));
    RunResult.Completed html = completed(run("WebApp.render({content: '<b>x</b>'})"));
    assertThat(html.rendered()).contains(new RunResult.Rendered("<b>x</b>", "text/html"));
    assertThat(run("WebApp.render({content: 'x', mime_type: 'application/x-evil'})"))
        .isInstanceOf(RunResult.Failed.class);
  }

  @Test
  void cryptoJs_hashesAndHmacs() {
    String text =
        single(
            "Bot.sendMessage([CryptoJS.HmacSHA256('msg', 'key').toString(),"
                + " CryptoJS.HmacSHA256('msg', 'key').toString(CryptoJS.enc.Base64),"
                + " CryptoJS.SHA256('abc') + '', CryptoJS.MD5('abc').toString(CryptoJS.enc.Hex),"
                + " CryptoJS.HmacSHA1('m', 'k').toString().length,"
                + " CryptoJS.HmacSHA512('m', 'k').toString().length,"
                + " CryptoJS.enc.Base64.stringify(CryptoJS.enc.Utf8.parse('hi'))].join('|'))");
    assertThat(text)
        .isEqualTo(
            "2d93cbc1be167bcb1637a4a23cbff01a7878f0c50ee833954ea5221bb1b8c628|"
                + "LZPLwb4We8sWN6SiPL/wGnh48MUO6DOVTqUiG7G4xig=|"
                + "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad|"
                + "900150983cd24fb0d6963f7d28e17f72|40|128|aGk=");
  }

  @Test
  void api_callsAreRecorded() {
    RunResult.Completed c =
        completed(
            run(
                "Api.sendPhoto({chat_id: 1, photo: 'p'}); Api.call('getMe');"
                    + "Bot.sendMessageToChatWithId(99, 'hey');"
                    + "Bot.editInlineKeyboard([[{text: 'a'}]], 5);"));
    assertThat(c.outputs()).hasSize(4);
    RunResult.Output.ApiCall photo = (RunResult.Output.ApiCall) c.outputs().get(0);
    assertThat(photo.method()).isEqualTo("sendPhoto");
    assertThat(photo.params().get("photo").asText()).isEqualTo("p");
    assertThat(((RunResult.Output.ApiCall) c.outputs().get(1)).method()).isEqualTo("getMe");
    RunResult.Output.ApiCall send = (RunResult.Output.ApiCall) c.outputs().get(2);
    assertThat(send.params().get("chat_id").asInt()).isEqualTo(99);
    assertThat(send.params().get("text").asText()).isEqualTo("hey");
    assertThat(((RunResult.Output.ApiCall) c.outputs().get(3)).params().get("message_id").asInt())
        .isEqualTo(5);
  }

  /**
   * An unavailable member fails the run, naming it (README "The script API"): a {@code catch} or
   * {@code finally} in the script cannot hide it, and nothing sent before it is kept.
   */
  @Test
  void unavailableMembers_failTheRun_whatever_theScriptCatches() {
    for (String call :
        List.of("Bot.foo()", "HTTP.patch({})", "HTTP.trace({})", "AdminPanel.getPanels()",
            "BBAdmin.installBot()", "Bot.runAll({})", "new List({name: 'l'})", "User.bar()",
            "Bot.exportGit()")) {
      String name = call.substring(0, call.indexOf('(')).replace("new ", "");
      RunResult result =
          run("Bot.sendMessage('before'); try { " + call + " } catch (e) { Bot.sendMessage('caught') }"
              + " finally { Bot.sendMessage('finally') } Bot.sendMessage('after')");
      assertThat(result).as(call).isInstanceOf(RunResult.Failed.class);
      assertThat(((RunResult.Failed) result).message())
          .as(call)
          .startsWith(name + " is not available in webhook commands");
    }
    assertThat(single("Bot.sendMessage(String(Bot).length > 0 ? 'ok' : 'no')")).isEqualTo("ok");
  }

  /** The guarded Function constructor works with and without {@code new}, as in every engine. */
  @Test
  void functionConstructor_worksWithNew() {
    assertThat(
            single(
                "var f = new Function('a', 'b', 'return a + b');"
                    + " var g = Reflect.construct(Function, ['return 7']);"
                    + " var h = Function('return 8');"
                    + " Bot.sendMessage([f(1, 2), g(), h(), f instanceof Function,"
                    + " f.constructor === Function].join(' '))"))
        .isEqualTo("3 7 8 true true");
  }

  @Test
  void compileCache_warmRunDoesNotCompileAgain() {
    BotCode code = code("b1", cmd("/c", "Bot.sendMessage('v1')"));
    runtime.run(request(code, "/c", TIME), host);
    long after = runtime.compilations();
    runtime.run(request(code, "/c", TIME), host);
    assertThat(runtime.compilations()).isEqualTo(after);
    BotCode changed = code("b1", new Command("/c", List.of(), "Bot.sendMessage('v2')", 2));
    assertThat(texts(runtime.run(request(changed, "/c", TIME), host))).containsExactly("v2");
    assertThat(runtime.compilations()).isEqualTo(after + 1);
  }

  @Test
  void compileCache_taggedTemplateBodiesCompileEveryRun_bigIntBodiesNeverRun() {
    // Rhino keeps a tagged template's call-site array in the compiled code: such a body is never
    // shared, so a run cannot see what an earlier run left on that array.
    BotCode tagged =
        code(
            "b1",
            cmd(
                "/t",
                "function t(s) { var seen = s.mark; s.mark = 1; return seen === undefined }"
                    + " Bot.sendMessage('' + t`a${1}b`)"));
    long before = runtime.compilations();
    assertThat(texts(runtime.run(request(tagged, "/t", TIME), host))).containsExactly("true");
    assertThat(texts(runtime.run(request(tagged, "/t", TIME), host))).containsExactly("true");
    assertThat(runtime.compilations()).isEqualTo(before + 2);

    BotCode bigInt = code("b1", cmd("/n", "Bot.sendMessage('' + (1n + 2n))"));
    for (int i = 0; i < 2; i++) {
      RunResult r = runtime.run(request(bigInt, "/n", TIME), host);
      assertThat(r).isInstanceOf(RunResult.Failed.class);
      assertThat(((RunResult.Failed) r).message())
          .contains("BigInt is not available in webhook commands");
    }

    BotCode plain = code("b1", cmd("/p", "Bot.sendMessage(`x${1}`)"));
    long beforePlain = runtime.compilations();
    runtime.run(request(plain, "/p", TIME), host);
    runtime.run(request(plain, "/p", TIME), host);
    assertThat(runtime.compilations()).isEqualTo(beforePlain + 1);
  }

  @Test
  void forgetCompiled_dropsOneBotsBodies_andKeepsTheOthers() {
    BotCode kept = code("b1", cmd("/a", "Bot.sendMessage('a')"));
    BotCode dropped = code("b2", cmd("/a", "Bot.sendMessage('a')"));
    runtime.run(request(kept, "/a", TIME), host);
    runtime.run(request(dropped, "/a", TIME), host);
    int before = runtime.keptBodies();

    runtime.forgetCompiled("b2");

    assertThat(runtime.keptBodies()).isEqualTo(before - 1);
    long compiled = runtime.compilations();
    runtime.run(request(kept, "/a", TIME), host);
    assertThat(runtime.compilations()).as("b1's body, still compiled").isEqualTo(compiled);
    assertThat(texts(runtime.run(request(dropped, "/a", TIME), host))).containsExactly("a");
    assertThat(runtime.compilations()).as("b2's body, compiled again").isEqualTo(compiled + 1);
  }

  @Test
  void promiseJobs_runWithinTheRun() {
    assertThat(single("Promise.resolve(1).then(v => Bot.sendMessage('then ' + v));"))
        .isEqualTo("then 1");
  }
}
