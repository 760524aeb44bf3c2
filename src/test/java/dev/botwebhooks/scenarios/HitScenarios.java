package dev.botwebhooks.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bots.Business-style webhook flows, end to end: bot API set-up, a hit, the real Rhino runtime and
 * a real store. Run against each store by a subclass.
 */
abstract class HitScenarios {
  BotHarness bot;

  abstract Store newStore();

  Map<String, String> env() {
    return Map.of();
  }

  @BeforeEach
  void setUp() {
    bot = new BotHarness(newStore(), env());
  }

  @Test
  void catExample_redirectsAndSendsStoredContent() {
    bot.command("/onWebhook", "Bot.sendMessage(inspect(content));");
    String path =
        bot.mint(
            "{\"command\":\"/onWebhook\",\"content\":\"Did you see the cat?\",\"user_id\":\"1\","
                + "\"redirect_to\":\"https://cataas.com/cat\"}");

    HttpResponse r = bot.hit(path);

    assertThat(r.status()).isEqualTo(302);
    assertThat(r.headers().get("Location")).isEqualTo("https://cataas.com/cat");
    assertThat(bot.messageTexts()).containsExactly("Did you see the cat?");
  }

  /**
   * Long multi-byte texts in many messages and property changes: within every run limit, but
   * their request-log entry would pass a DynamoDB item's 400 KB unless cut (README "The request
   * log").
   */
  @Test
  void hitWithManyLongMultiByteEffects_commits_andItsLogEntryIsCutToFit() {
    bot.command(
        "/bulk",
        String.join(
            "\n",
            "var p = '\u20ac'.repeat(1100) + content;",
            "for (var i = 0; i < 35; i++) Bot.setProperty('p' + i, p, 'string');",
            "var m = '\u0001'.repeat(1100);",
            "for (var j = 0; j < 50; j++) Bot.sendMessage(m + j);"));
    String path = bot.mint("{\"command\":\"/bulk\",\"user_id\":\"1\"}");

    assertThat(bot.hit("POST", path, "a", "Content-Type", "text/plain").status()).isEqualTo(200);
    HttpResponse second = bot.hit("POST", path, "b", "Content-Type", "text/plain");

    assertThat(second.status()).as(second.body()).isEqualTo(200);
    assertThat(bot.property("p34").orElseThrow().asText()).endsWith("b");
    JsonNode listed = bot.get("/hits?limit=1").get("items").get(0);
    assertThat(listed.get("messages").asInt()).isEqualTo(50);
    assertThat(listed.get("property_changes").asInt()).isEqualTo(35);
    JsonNode entry = bot.get("/hits/" + listed.get("id").asText());
    assertThat(entry.get("effects_truncated").asBoolean()).isTrue();
    assertThat(entry.get("messages_count").asInt()).isEqualTo(50);
    assertThat(
            dev.botwebhooks.json.Json.write(entry)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)
                .length)
        .isLessThan(400_000);
  }

  @Test
  void sameMintOptionsInOneRun_giveOneHook() {
    bot.command(
        "/links",
        String.join(
            "\n",
            "var a = Libs.Webhooks.getUrlFor({command: '/later', user_id: user.id});",
            "var b = Libs.Webhooks.getUrlFor({command: '/later', user_id: user.id});",
            "var c = Libs.Webhooks.getUrlFor({command: '/later', user_id: user.id, content: 'x'});",
            "Bot.sendMessage([a === b, a === c].join());"));
    String path = bot.mint("{\"command\":\"/links\",\"user_id\":\"1\"}");

    assertThat(bot.answer(path)).isEqualTo("true,false");
    assertThat(bot.all("/webhooks")).hasSize(3);
  }

  /** README "What a run keeps": a run whose effects are dropped keeps no hook it minted. */
  @Test
  void hooksMintedByARunThatFailsOrRunsAgain_areRemovedWithItsEffects() throws Exception {
    bot.command(
        "/fail",
        "Libs.Webhooks.getUrlFor({command: '/later', user_id: user.id}); throw new Error('boom')");
    bot.command(
        "/count",
        String.join(
            "\n",
            "var n = Bot.getProperty('n', 0);",
            "var url = Libs.Webhooks.getUrlFor({command: '/later', user_id: user.id});",
            "for (var i = 0; i < 20000; i++) {}",
            "Bot.setProperty('n', n + 1, 'integer');",
            "Bot.sendMessage(url);"));
    String failing = bot.mint("{\"command\":\"/fail\",\"user_id\":\"1\"}");
    assertThat(bot.hit(failing).status()).isEqualTo(503);
    assertThat(bot.all("/webhooks")).hasSize(1);

    int users = 8;
    List<String> hooks = new ArrayList<>();
    for (int u = 1; u <= users; u++) {
      hooks.add(bot.mint("{\"command\":\"/count\",\"user_id\":\"" + u + "\"}"));
    }
    ExecutorService pool = Executors.newFixedThreadPool(users);
    try {
      List<Future<HttpResponse>> answers = new ArrayList<>();
      for (String hook : hooks) {
        answers.add(pool.submit(() -> bot.hit(hook)));
      }
      int ok = 0;
      for (var answer : answers) {
        ok += answer.get().status() == 200 ? 1 : 0;
      }
      // Every committed run's hook is kept, and only those: one per 200, beside the hooks above.
      assertThat(bot.property("n").orElseThrow().asInt()).isEqualTo(ok);
      assertThat(bot.all("/webhooks")).hasSize(1 + users + ok);
    } finally {
      pool.shutdownNow();
    }
  }

  /** README "Choices where the contract left room", half of an emoji. */
  @Test
  void halfAnEmoji_inNamesIsRefused_inDeliveryIdsStaysDistinct_inPagesIsSentAsReplacement() {
    bot.command(
        "/names",
        String.join(
            "\n",
            "var read = Bot.getProperty('x\\uD800', 'none');",
            "Bot.deleteProp('x\\uDC00');",
            "Bot.setProperty('x\\uFFFD', 1, 'integer');",
            "try { Bot.setProperty('x\\uDC00', 2, 'integer') } catch (e) { read += ' ' + e.name }",
            "Bot.sendMessage(read);"));
    assertThat(bot.answer(bot.mint("{\"command\":\"/names\"}"))).isEqualTo("none TypeError");
    assertThat(bot.property("x\uFFFD").orElseThrow().asInt()).isEqualTo(1);

    bot.command(
        "/pay",
        "Bot.setProperty('paid', Bot.getProperty('paid', 0) + 1, 'integer');"
            + " WebApp.render({ content: 'a\\uD800b', mime_type: 'text/plain' });");
    String pay = bot.mint("{\"command\":\"/pay\",\"delivery_key\":\"body.order_id\"}");
    HttpResponse first =
        bot.hit("POST", pay, "{\"order_id\":\"p-\\ud800\"}", "Content-Type", "application/json");
    HttpResponse other =
        bot.hit("POST", pay, "{\"order_id\":\"p-\\udc00\"}", "Content-Type", "application/json");
    HttpResponse repeat =
        bot.hit("POST", pay, "{\"order_id\":\"p-\\ud800\"}", "Content-Type", "application/json");

    assertThat(bot.property("paid").orElseThrow().asInt()).isEqualTo(2);
    assertThat(first.body()).isEqualTo("a\uFFFDb");
    assertThat(other.headers()).doesNotContainKey("Idempotent-Replayed");
    assertThat(repeat.headers()).containsEntry("Idempotent-Replayed", "true");
    assertThat(repeat.body()).isEqualTo(first.body());
  }

  /** Bodies of control characters at the top of HIT_LOG_BODY_BYTES: README "The request log". */
  @Test
  void logEntryOfLargeEscapedBodies_isCutToFit() {
    BotHarness wide =
        new BotHarness(newStore(), Map.of(dev.botwebhooks.config.Settings.Env.HIT_LOG_BODY_BYTES, "65536"));
    wide.command(
        "/echo",
        "WebApp.render({ content: '\\u0001'.repeat(65536), mime_type: 'text/plain' });");
    String path = wide.mint("{\"command\":\"/echo\"}");

    HttpResponse r =
        wide.hit("POST", path, "\u0001".repeat(65536), "Content-Type", "text/plain");

    assertThat(r.status()).isEqualTo(200);
    JsonNode listed = wide.get("/hits?limit=1").get("items").get(0);
    JsonNode entry = wide.get("/hits/" + listed.get("id").asText());
    assertThat(entry.path("request").path("body_truncated").asBoolean()).isTrue();
    assertThat(entry.path("request").path("body_bytes").asInt()).isEqualTo(65536);
    assertThat(entry.path("answer").path("body_truncated").asBoolean()).isTrue();
  }

  @Test
  void lastMessageIsTheAnswer_firstOnlyInOutbox() {
    bot.command(
        "/onWebhook",
        "Bot.sendMessage(\"This answer will be in bot\");\nBot.sendMessage(\"Hello in browser!\");");
    String path = bot.mint("{\"command\":\"/onWebhook\",\"user_id\":\"7\"}");

    assertThat(bot.answer(path)).isEqualTo("Hello in browser!");
    assertThat(bot.messageTexts())
        .containsExactly("Hello in browser!", "This answer will be in bot");
  }

  @Test
  void paymentCallback_verifiesHmacFromHeadersCaseInsensitively() throws Exception {
    bot.command(
        "/onPay",
        String.join(
            "\n",
            "var sign = CryptoJS.HmacSHA256(content, 'secret').toString();",
            "if (options.headers.hmac !== sign || options.headers.Hmac !== sign) {",
            "  throw new Error('bad signature');",
            "}",
            "var data = JSON.parse(content);",
            "var balance = Bot.getProperty('balance', 0) + data.amount;",
            "Bot.setProperty('balance', balance, 'float');",
            "Bot.sendMessage('paid ' + data.order_id + ', balance ' + balance);"));
    String path = bot.mint("{\"command\":\"/onPay\"}");
    String body = "{\"order_id\":\"A-1\",\"amount\":2.5}";
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec("secret".getBytes(), "HmacSHA256"));
    StringBuilder hex = new StringBuilder();
    for (byte b : mac.doFinal(body.getBytes())) {
      hex.append(String.format("%02x", b));
    }

    HttpResponse ok = bot.hit("POST", path, body, "Content-Type", "application/json",
        "HMAC", hex.toString());
    HttpResponse again = bot.hit("POST", path, body, "Content-Type", "application/json",
        "HMAC", hex.toString());
    HttpResponse forged = bot.hit("POST", path, body, "Content-Type", "application/json",
        "HMAC", "00");

    assertThat(BotHarness.parse(ok).get("answer").asText()).isEqualTo("paid A-1, balance 2.5");
    assertThat(BotHarness.parse(again).get("answer").asText()).isEqualTo("paid A-1, balance 5");
    assertThat(forged.status()).isEqualTo(503);
    assertThat(bot.lastError().get("message").asText()).contains("bad signature");
    assertThat(bot.get("/properties/balance").get("value").asDouble()).isEqualTo(5.0);
  }

  /** A JSON body with text after its object is not JSON: the command gets its raw text only. */
  @Test
  void multipartForm_textFieldsAreParams_filesAreNot() {
    bot.command("/form", "Bot.sendMessage(JSON.stringify(options.params) + ' ' + options.name);");
    String path = bot.mint("{\"command\":\"/form\"}");
    String body =
        String.join(
            "\r\n",
            "--XyZ",
            "Content-Disposition: form-data; name=\"name\"",
            "",
            "Ann Lee",
            "--XyZ",
            "Content-Disposition: form-data; name=\"tag\"",
            "",
            "a",
            "--XyZ",
            "content-disposition: form-data; name=\"tag\"",
            "Content-Type: text/plain; charset=utf-8",
            "",
            "b\r\nc",
            "--XyZ",
            "Content-Disposition: form-data; name=\"photo\"; filename=\"cat.jpg\"",
            "Content-Type: image/jpeg",
            "",
            "\u00ff\u00d8",
            "--XyZ--",
            "");

    HttpResponse r =
        bot.hit("POST", path + "?q=1", body, "Content-Type", "multipart/form-data; boundary=XyZ");

    assertThat(BotHarness.parse(r).get("answer").asText())
        .isEqualTo("{\"q\":\"1\",\"name\":\"Ann Lee\",\"tag\":[\"a\",\"b\\r\\nc\"]} Ann Lee");
  }

  @Test
  void jsonPost_withTextAfterTheObject_givesNoParams() {
    bot.command(
        "/onJson",
        "Bot.sendMessage(JSON.stringify(options.params) + ' ' + content);");
    String path = bot.mint("{\"command\":\"/onJson\"}");
    HttpResponse trailing =
        bot.hit("POST", path + "?q=1", "{\"a\":1} trailing", "Content-Type", "application/json");
    HttpResponse clean =
        bot.hit("POST", path + "?q=1", "{\"a\":1}\n", "Content-Type", "application/json");
    assertThat(BotHarness.parse(trailing).get("answer").asText())
        .isEqualTo("{\"q\":\"1\"} {\"a\":1} trailing");
    assertThat(BotHarness.parse(clean).get("answer").asText())
        .isEqualTo("{\"q\":\"1\",\"a\":1} {\"a\":1}\n");
  }

  /**
   * A byte order mark before a JSON body (some Windows tools write one) is not part of the JSON:
   * the fields are in {@code options.params}, and a Stripe event is still one delivery; {@code
   * content} keeps the body as sent.
   */
  @Test
  void jsonPost_afterAByteOrderMark_givesItsParams() {
    bot.command("/onJson", "Bot.sendMessage(JSON.stringify(options.params) + ' ' + content.length);");
    String path = bot.mint("{\"command\":\"/onJson\"}");
    String event = "\uFEFF{\"id\":\"evt_1\",\"object\":\"event\"}";
    HttpResponse first = bot.hit("POST", path, event, "Content-Type", "application/json");
    HttpResponse again = bot.hit("POST", path, event, "Content-Type", "application/json");
    assertThat(BotHarness.parse(first).get("answer").asText())
        .isEqualTo("{\"id\":\"evt_1\",\"object\":\"event\"} " + event.length());
    assertThat(again.headers()).containsEntry("Idempotent-Replayed", "true");
  }

  /**
   * JSON sent with a form's type, as {@code curl -d} sends it, is JSON: its fields are in {@code
   * options.params}, and a hook keyed on one of them applies a retried payment once.
   */
  @Test
  void jsonPostedAsAForm_isJson_andItsDeliveryKeyHolds() {
    bot.command(
        "/pay",
        "var j = JSON.parse(content); var b = (Bot.getProperty('balance') || 0) + j.amount;"
            + " Bot.setProperty('balance', b, 'integer');"
            + " Bot.sendMessage(options.params.order_id + ' ' + b);");
    String path = bot.mint("{\"command\":\"/pay\",\"delivery_key\":\"body.order_id\"}");
    String form = "application/x-www-form-urlencoded";
    HttpResponse first = bot.hit("POST", path, "{\"amount\":5,\"order_id\":501}", "Content-Type", form);
    HttpResponse retried = bot.hit("POST", path, "{\"amount\":5,\"order_id\":501}", "Content-Type", form);
    assertThat(BotHarness.parse(first).get("answer").asText()).isEqualTo("501 5");
    assertThat(retried.body()).isEqualTo(first.body());
    assertThat(bot.get("/properties/balance").get("value").asInt()).isEqualTo(5);
  }

  /**
   * A user id that cannot be one ({@code Bot.run}, properties, hooks) is a TypeError in the run,
   * before anything is kept: uncaught, the hit fails and nothing of it is applied.
   */
  @Test
  void anInvalidUserId_isATypeErrorInTheRun_andNothingIsApplied() {
    bot.command(
        "/pay",
        "Bot.setProperty('n', (Bot.getProperty('n') || 0) + 1, 'integer');"
            + " var who = params === 'caught' ? 'ok_1' : params;"
            + " try { Bot.run({ command: '/later', user_id: 'not valid!' }) }"
            + " catch (e) { if (params !== 'caught') throw e; Bot.sendMessage(e.name + ': ' + e.message) }"
            + " Bot.setProperty({ name: 'p', value: 1, user_id: who === 'x' ? 1.5 : who });");
    bot.command("/later", "Bot.sendMessage('later');");
    HttpResponse failed = bot.hit(bot.mint("{\"command\":\"/pay x\"}"));
    assertThat(failed.status()).isEqualTo(503);
    assertThat(bot.lastError().get("message").asText())
        .contains("user_id must be 1-64 characters of [A-Za-z0-9_-], got 'not valid!'");
    assertThat(bot.answer(bot.mint("{\"command\":\"/pay caught\"}")))
        .isEqualTo("TypeError: user_id must be 1-64 characters of [A-Za-z0-9_-], got 'not valid!'");
    assertThat(bot.get("/properties/n").get("value").asInt()).isEqualTo(1);
  }

  @Test
  void formPost_paramsMergedWithQuery_bodyWins() {
    bot.command(
        "/onForm",
        "Bot.sendMessage(options.method + ' ' + options.params.name + ' ' + options.params.src"
            + " + ' ' + options.params.q);");
    String path = bot.mint("{\"command\":\"/onForm\"}");

    HttpResponse r =
        bot.hit("POST", path + "?src=query&q=1", "name=Ann+Lee&src=form",
            "Content-Type", "application/x-www-form-urlencoded");

    assertThat(BotHarness.parse(r).get("answer").asText()).isEqualTo("POST Ann Lee form 1");
  }

  /** A form in the charset its Content-Type names (as pages in windows-1251 post them). */
  @Test
  void formPost_inTheCharsetItsTypeNames() {
    bot.command("/onForm", "Bot.sendMessage(options.params.name + ' ' + options.params.q);");
    String path = bot.mint("{\"command\":\"/onForm\"}");
    HttpResponse cyrillic =
        bot.hit("POST", path, "name=%CF%F0%E8%E2%E5%F2&q=%FF",
            "Content-Type", "application/x-www-form-urlencoded; charset=windows-1251");
    HttpResponse unknown =
        bot.hit("POST", path, "name=%C3%A9&q=1",
            "Content-Type", "application/x-www-form-urlencoded; charset=no-such-charset");
    assertThat(BotHarness.parse(cyrillic).get("answer").asText()).isEqualTo("Привет я");
    assertThat(BotHarness.parse(unknown).get("answer").asText()).isEqualTo("é 1");
  }

  @Test
  void handExtendedUrl_ampersandAfterIdIsQuery() {
    bot.command("/task", "Bot.sendMessage('task ' + options.params.task_id);");
    String path = bot.mint("{\"command\":\"/task\"}");

    assertThat(bot.answer(path + "&task_id=5")).isEqualTo("task 5");
  }

  @Test
  void globals_paramsMessageUserBotCommandAndPrivateChat() {
    bot.user("42", "{\"telegramid\":\"123456\",\"first_name\":\"Ann\",\"username\":\"ann\"}");
    bot.command(
        "/onPay",
        String.join(
            "\n",
            "Bot.sendMessage([params, message, user.id, user.first_name, user.last_name,",
            "  user.username, bot.name, command.name, chat.chatid, request?.data,",
            "  completed_commands_count, typeof bot.api_key].join('|'));"));
    String path = bot.mint("{\"command\":\"/onPay /done\",\"user_id\":\"42\"}");

    assertThat(bot.answer(path))
        .isEqualTo("/done|/onPay /done|42|Ann||ann|Test bot|/onPay|123456||0|undefined");
  }

  @Test
  void globalHook_hasNullUser_andRunsAsUserFromContent() {
    bot.command(
        "/onGlobal",
        String.join(
            "\n",
            "if (user) throw new Error('no user expected');",
            "Bot.run({ command: '/userCommand', user_id: JSON.parse(content).user_id });",
            "Bot.sendMessage('global done');"));
    bot.command("/userCommand", "Bot.sendMessage('hello user ' + user.id);");
    String path = bot.mint("{\"command\":\"/onGlobal\"}");

    HttpResponse r = bot.hit("POST", path, "{\"user_id\":\"77\"}");

    assertThat(BotHarness.parse(r).get("answer").asText()).isEqualTo("global done");
    JsonNode items = bot.get("/messages?user_id=77").get("items");
    assertThat(items).hasSize(1);
    assertThat(items.get(0).get("text").asText()).isEqualTo("hello user 77");
  }

  @Test
  void es6AndTopLevelReturn() {
    bot.command(
        "/es6",
        String.join(
            "\n",
            "const { a, b: bee } = { a: 1, b: 2, c: 3 };",
            "const [first, second] = ['b', 'c'];",
            "let xs = [1, 2, 3].map((x) => x * a);",
            "function count(...args) { return args.length; }",
            "const deep = options?.params?.missing?.value ?? 'none';",
            "Bot.sendMessage(`${xs.join(',')} ${[first, second]} ${deep} ${[...xs, 4].length}`",
            "  + ` ${count(1, 2)} ${bee} ${{ ...{ z: 1 } }.z}`);",
            "return;",
            "Bot.sendMessage('unreachable');"));
    String path = bot.mint("{\"command\":\"/es6\"}");

    assertThat(bot.answer(path)).isEqualTo("1,2,3 b,c none 4 2 2 1");
  }

  @Test
  void runCommand_nestedWithParams_optionsRestored_andCountsCompleted() {
    bot.command(
        "/outer",
        String.join(
            "\n",
            "options.mine = 'outer';",
            "Bot.runCommand('/inner hello world', { x: 1 });",
            "Bot.sendMessage('outer sees ' + options.mine + ' after ' + completed_commands_count);"));
    bot.command(
        "/inner",
        "Bot.sendMessage('inner ' + params + ' x=' + options.x + ' n=' + completed_commands_count);");
    String path = bot.mint("{\"command\":\"/outer\"}");

    assertThat(bot.answer(path)).isEqualTo("outer sees outer after 1");
    assertThat(bot.messageTexts()).contains("inner hello world x=1 n=1");
  }

  @Test
  void theCompletedCommandsGuard_keepsACommandFromHooks_butNotFromOtherCommands() {
    // The Bots.Business help's secured sub-command (bjs-security.md): "only via Bot.runCommand,
    // Bot.run or as on_result".
    bot.command(
        "/secure",
        "if(completed_commands_count==0){ return }\n"
            + "Bot.setProperty('secured', (Bot.getProperty('secured') || 0) + 1, 'integer');\n"
            + "Bot.sendMessage('secure ran at ' + completed_commands_count);");
    bot.command("/admin", "Bot.runCommand('/secure'); Bot.run({ command: '/secure' });");

    assertThat(bot.answer(bot.mint("{\"command\":\"/secure\"}"))).isNull();
    assertThat(bot.property("secured")).isEmpty();

    bot.hit(bot.mint("{\"command\":\"/admin\"}"));
    assertThat(bot.messageTexts()).contains("secure ran at 1");
    assertThat(bot.property("secured").orElseThrow().asInt()).isEqualTo(2);
  }

  @Test
  void runCommand_exceptionPropagates_andNothingIsWritten() {
    bot.command(
        "/outer",
        "Bot.setProperty('touched', true, 'boolean'); Bot.sendMessage('before');"
            + " Bot.runCommand('/bad');");
    bot.command("/bad", "throw 'bad thing';");
    String path = bot.mint("{\"command\":\"/outer\"}");

    HttpResponse r = bot.hit(path);

    assertThat(r.status()).isEqualTo(503);
    assertThat(BotHarness.parse(r).get("error").asText()).isEqualTo("command failed");
    assertThat(r.body()).doesNotContain("bad thing");
    assertThat(bot.lastError().get("message").asText()).contains("bad thing");
    assertThat(bot.messageTexts()).isEmpty();
    assertThat(bot.deployment.store().property(
        dev.botwebhooks.core.PropertyKey.ofBot(bot.botId, "touched"))).isEmpty();
  }

  @Test
  void botRun_afterMainChain_inOrder_failureLoggedNotAnswered() {
    bot.command(
        "/main",
        String.join(
            "\n",
            "Bot.run({ command: '/second', options: { n: 2 } });",
            "Bot.run({ command: '/fails' });",
            "Bot.run({ command: '/third' });",
            "Bot.sendMessage('main answer');"));
    bot.command("/second", "Bot.sendMessage('second ' + options.n);");
    bot.command("/fails", "throw new Error('deferred failure');");
    bot.command("/third", "Bot.sendMessage('third');");
    String path = bot.mint("{\"command\":\"/main\",\"user_id\":\"5\"}");

    assertThat(bot.answer(path)).isEqualTo("main answer");
    assertThat(bot.messageTexts()).containsExactly("third", "second 2", "main answer");
    assertThat(bot.lastError().get("message").asText()).contains("deferred failure");
  }

  /**
   * A run's {@code Bot.run} calls ride in its commit, each kept in the schedule beside its
   * properties (one DynamoDB transaction): a run with as many properties beside them as there is
   * room for commits, and each call either runs in the hit's chain (and leaves the schedule) or,
   * once the chain's time is spent, is left in the schedule for a poll; one property more than
   * the room a commit has fails the run naming the limit, with nothing applied or kept.
   */
  @Test
  void botRunCalls_ridingInTheCommitWithProperties_uptoTheRoomItHas() {
    int runs = 31; // MAX_RUNS (32) less the hook's own: each run counts once
    int room = 90; // MAX_PROPERTIES_PER_RUN: properties and Bot.run calls together
    bot.command(
        "/pay",
        String.join(
            "\n",
            "var n = Number(params);",
            "for (var i = 0; i < n; i++) User.setProperty('p' + i, i, 'integer');",
            "for (var j = 0; j < " + runs + "; j++) Bot.run({ command: '/receipt', options: { j: j } });",
            "Bot.sendMessage('paid ' + n);"));
    bot.command("/receipt", "User.setProperty('r' + options.j, 1, 'integer');");
    String full = bot.mint("{\"command\":\"/pay " + (room - runs) + "\",\"user_id\":\"5\"}");
    String over = bot.mint("{\"command\":\"/pay " + (room - runs + 1) + "\",\"user_id\":\"6\"}");

    assertThat(bot.answer(full)).isEqualTo("paid " + (room - runs));
    assertThat(bot.lastError()).as("no run failed").isNull();
    Store store = bot.deployment.store();
    List<Integer> left = new ArrayList<>();
    for (dev.botwebhooks.core.ScheduledRun kept : keptRuns(store)) {
      assertThat(kept.message()).isEqualTo("/receipt");
      assertThat(kept.userId()).isEqualTo("5");
      left.add(kept.options().get("j").asInt());
    }
    for (int j = 0; j < runs; j++) {
      boolean ran =
          store.property(dev.botwebhooks.core.PropertyKey.ofUser(bot.botId, "5", "r" + j))
              .isPresent();
      assertThat(ran ^ left.contains(j)).as("receipt " + j + " ran or is kept, not both").isTrue();
    }
    assertThat(left).doesNotHaveDuplicates();
    keptRuns(store).forEach(store::claimRun);

    assertThat(bot.hit(over).status()).isEqualTo(503);
    assertThat(bot.lastError().get("limit").asText()).isEqualTo("MAX_PROPERTIES_PER_RUN");
    assertThat(store.property(dev.botwebhooks.core.PropertyKey.ofUser(bot.botId, "6", "p0")))
        .isEmpty();
    assertThat(keptRuns(store)).isEmpty();
  }

  /** The runs the schedule keeps for this test's bot (the table may be shared with others). */
  private List<dev.botwebhooks.core.ScheduledRun> keptRuns(Store store) {
    return store.dueRuns(java.time.Instant.parse("3000-01-01T00:00:00Z"), 1000).stream()
        .filter(r -> r.botId().equals(bot.botId))
        .toList();
  }

  @Test
  void properties_everyType_roundTrip_defaults_delete_userScope() {
    bot.command(
        "/props",
        String.join(
            "\n",
            "Bot.setProperty('i', 42, 'integer');",
            "Bot.setProperty('f', 1.5, 'float');",
            "Bot.setProperty('s', 'str', 'string');",
            "Bot.setProperty('t', 'long text', 'text');",
            "Bot.setProperty('b', false, 'boolean');",
            "Bot.setProperty('j', { a: [1, { b: 2 }] }, 'json');",
            "Bot.setProperty({ name: 'inferred', value: [1, 2] });",
            "User.setProperty('mine', 'user value', 'string');",
            "Bot.setProp('gone', 1); Bot.deleteProp('gone');",
            "Bot.setProperty('nulled', 3); Bot.setProperty('nulled', null);",
            "var j = Bot.getProperty('j'); j.a.push(9);",
            "Bot.sendMessage([Bot.getProperty('i') + 1, Bot.getProperty('f'), Bot.getProperty('s'),",
            "  Bot.getProp('t'), Bot.getProperty('b') === false, JSON.stringify(Bot.getProperty('j')),",
            "  Bot.getProperty('missing', 'dflt'), Bot.getProperty('missing2'),",
            "  Bot.getProperty('gone', 'deleted'), Bot.getProperty('nulled', 'nulled'),",
            "  User.getProperty('mine'), Bot.getProperty({ name: 'mine', user_id: user.id })].join('|'));"));
    bot.command(
        "/read",
        "Bot.sendMessage([typeof Bot.getProperty('i'), JSON.stringify(Bot.getProperty('j')),"
            + " JSON.stringify(Bot.getProperty('inferred')), User.getProperty('mine')].join('|'));");
    String path = bot.mint("{\"command\":\"/props\",\"user_id\":\"3\"}");
    String read = bot.mint("{\"command\":\"/read\",\"user_id\":\"3\"}");

    assertThat(bot.answer(path))
        .isEqualTo(
            "43|1.5|str|long text|true|{\"a\":[1,{\"b\":2}]}|dflt||deleted|nulled|user value|user value");
    assertThat(bot.answer(read)).isEqualTo("number|{\"a\":[1,{\"b\":2}]}|[1,2]|user value");
    assertThat(bot.get("/properties/i").get("type").asText()).isEqualTo("integer");
    assertThat(bot.get("/properties/j").get("type").asText()).isEqualTo("json");
    assertThat(bot.get("/users/3/properties/mine").get("value").asText()).isEqualTo("user value");
  }

  @Test
  void beforeAllAndAfterAll_runInSameScope() {
    bot.command("@", "var shared = 'from @';");
    bot.command("/cmd", "Bot.sendMessage('cmd sees ' + shared); shared = 'from cmd';");
    bot.command("@@", "Bot.sendMessage('@@ sees ' + shared);");
    String path = bot.mint("{\"command\":\"/cmd\"}");

    assertThat(bot.answer(path)).isEqualTo("@@ sees from cmd");
    assertThat(bot.messageTexts()).containsExactly("@@ sees from cmd", "cmd sees from @");
  }

  /**
   * As Bots.Business documents it: "If you have return in any command AfterAll commands do not
   * executed", and a return in {@code @} ends the command too.
   */
  @Test
  void afterAll_runsAfterTheCommand_butNotAfterATopLevelReturnOrAThrow() {
    bot.command("@", "if (params === 'blocked') { Bot.sendMessage('blocked by @'); return; }");
    bot.command("@@", "Bot.sendMessage('after ' + params);");
    bot.command(
        "/cmd",
        "Bot.sendMessage('cmd ' + params); if (params === 'stop') { return; }"
            + " if (params === 'fail') throw 'x';");
    String done = bot.mint("{\"command\":\"/cmd done\"}");
    String stop = bot.mint("{\"command\":\"/cmd stop\"}");
    String fail = bot.mint("{\"command\":\"/cmd fail\"}");
    String blocked = bot.mint("{\"command\":\"/cmd blocked\"}");

    assertThat(bot.answer(done)).isEqualTo("after done");
    assertThat(bot.answer(stop)).isEqualTo("cmd stop");
    assertThat(bot.hit(fail).status()).isEqualTo(503);
    assertThat(bot.answer(blocked)).isEqualTo("blocked by @");
    assertThat(bot.messageTexts())
        .containsExactly("blocked by @", "cmd stop", "after done", "cmd done");
  }

  @Test
  void webAppRender_html_andJsonObject() {
    bot.command("/page", "Bot.sendMessage('kept'); WebApp.render({ content: '<h1>Hi</h1>' });");
    bot.command(
        "/data",
        "WebApp.render({ content: { ok: true }, mime_type: 'application/json' });");
    String page = bot.mint("{\"command\":\"/page\"}");
    String data = bot.mint("{\"command\":\"/data\"}");

    HttpResponse html = bot.hit(page);
    HttpResponse json = bot.hit(data);

    assertThat(html.status()).isEqualTo(200);
    assertThat(html.headers().get("Content-Type")).isEqualTo("text/html; charset=utf-8");
    assertThat(html.body()).isEqualTo("<h1>Hi</h1>");
    assertThat(bot.messageTexts()).containsExactly("kept");
    assertThat(json.headers().get("Content-Type")).startsWith("application/json");
    assertThat(BotHarness.parse(json).get("ok").asBoolean()).isTrue();
  }

  /** A hook minted with the run's user is that user's; one minted without a user_id is no one's. */
  @Test
  void getUrlFor_fromScript_mintsWorkingUrl() {
    bot.command(
        "/mint",
        "Bot.sendMessage(Libs.Webhooks.getUrlFor({ command: '/minted', content: 'stored',"
            + " user_id: params ? undefined : user.id }));");
    bot.command(
        "/minted",
        "Bot.sendMessage('minted got ' + content + ' for ' + (user ? user.id : 'no user'));");
    String path = bot.mint("{\"command\":\"/mint\",\"user_id\":\"8\"}");
    String global = bot.mint("{\"command\":\"/mint global\",\"user_id\":\"8\"}");

    String url = bot.answer(path);
    String globalUrl = bot.answer(global);

    assertThat(url).startsWith(BotHarness.BASE + "/hooks/");
    assertThat(bot.answer(url.substring(BotHarness.BASE.length()))).isEqualTo("minted got stored for 8");
    assertThat(bot.answer(globalUrl.substring(BotHarness.BASE.length())))
        .isEqualTo("minted got stored for no user");
  }

  @Test
  void unavailableApi_failsWithNamedReason() {
    bot.command("/http", "BBAdmin.installBot({});");
    String path = bot.mint("{\"command\":\"/http\"}");

    assertThat(bot.hit(path).status()).isEqualTo(503);
    assertThat(bot.lastError().get("message").asText())
        .contains("is not available in webhook commands");
  }

  @Test
  void telegramApiCalls_recordedInOutbox() {
    bot.command(
        "/api",
        "Api.sendPhoto({ chat_id: 1, photo: 'x' }); Bot.sendMessage('done');");
    String path = bot.mint("{\"command\":\"/api\",\"user_id\":\"2\"}");

    assertThat(bot.answer(path)).isEqualTo("done");
    JsonNode items = bot.get("/messages").get("items");
    assertThat(items.get(1).get("kind").asText()).isEqualTo("api_call");
    assertThat(items.get(1).get("method").asText()).isEqualTo("sendPhoto");
    assertThat(items.get(1).get("params").get("photo").asText()).isEqualTo("x");
  }

  @Test
  void library_onHandler_receivesHitWithParams() {
    bot.library(
        "mylib",
        String.join(
            "\n",
            "function callback() { Bot.sendMessage('lib got ' + params); }",
            "function greet(name) { return 'hi ' + name; }",
            "publish({ greet: greet });",
            "on('mylibOnCallback', callback);"));
    bot.command("/useLib", "Bot.sendMessage(Libs.mylib.greet('Ann'));");
    String hook = bot.mint("{\"command\":\"mylibOnCallback /userCmd\"}");
    String use = bot.mint("{\"command\":\"/useLib\"}");

    assertThat(bot.answer(hook)).isEqualTo("lib got /userCmd");
    assertThat(bot.answer(use)).isEqualTo("hi Ann");
  }

  @Test
  void messageLimit_failsNamingLimit_nextHitServed() {
    bot.command("/flood", "for (var i = 0; i < 100; i++) Bot.sendMessage('m' + i);");
    bot.command("/fine", "Bot.sendMessage('fine');");
    String flood = bot.mint("{\"command\":\"/flood\"}");
    String fine = bot.mint("{\"command\":\"/fine\"}");

    assertThat(bot.hit(flood).status()).isEqualTo(503);
    assertThat(bot.lastError().get("limit").asText()).isEqualTo("MAX_MESSAGES");
    assertThat(bot.answer(fine)).isEqualTo("fine");
  }

  @Test
  void endlessLoop_failsOnTime_namingTimeLimit() {
    bot.command("/loop", "while (true) { try { for(;;){} } catch (e) {} }");
    String path = bot.mint("{\"command\":\"/loop\"}");

    assertThat(bot.hit(path).status()).isEqualTo(503);
    assertThat(bot.lastError().get("limit").asText()).isEqualTo("SCRIPT_TIME_LIMIT_MS");
  }
}
