package dev.botwebhooks.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhook flows written from the public Bots.Business exports (README "Tried with public
 * exports"): a WebApp of templates, a tap game's JSON hooks, a payment provider's signed callback
 * through its library, a library that publishes nothing, {@code let} used as a variable. Run
 * against each store by a subclass.
 */
abstract class ExportFlows {
  BotHarness bot;

  abstract Store newStore();

  @BeforeEach
  void setUp() {
    bot = new BotHarness(newStore(), Map.of());
  }

  private static String path(String url) {
    assertThat(url).startsWith(BotHarness.BASE);
    return url.substring(BotHarness.BASE.length());
  }

  private static String first(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as(regex + " in " + text).isTrue();
    return m.group(1);
  }

  @Test
  void aWebAppOfTemplatesRendersItsPagesAndTakesAPostedForm() {
    bot.user("1", "{\"telegramid\":1001,\"first_name\":\"Ann\"}");
    bot.command("/start", "Bot.sendMessage(WebApp.getUrl({ command: 'renderHome' }))");
    bot.command(
        "renderHome",
        "var CSSFile = WebApp.getUrl({ command: 'renderCSS' });\n"
            + "var saveUrl = WebApp.getUrl({ command: 'saveRequest' });\n"
            + "WebApp.render({ template: 'index.html', options: { CSSFile: CSSFile, saveUrl: saveUrl } });");
    bot.command("renderCSS", "WebApp.render({ template: 'styles.css', mime_type: 'text/css' });");
    bot.command(
        "index.html",
        "/*CMD\n  command: index.html\n  answer: \nCMD*/\n\n<html><head>"
            + "<link rel=\"stylesheet\" href=\"<% options.CSSFile %>\"></head>\n"
            + "<body><h1>Hello from <%bot.name%></h1> 2 + 2 = <% 2+2 %><% %><% options.none %>\n"
            + "<form action=\"<% options.saveUrl %>\"></form></body></html>");
    bot.command("styles.css", "/*CMD\n  command: styles.css\nCMD*/\n\nbody { color: white; }");
    bot.command(
        "saveRequest",
        "Bot.run({ command: '/receivedRequest', user_telegramid: options.user_id,"
            + " options: options });\n"
            + "WebApp.render({ content: { success: true, game: options.game_name },"
            + " mime_type: 'application/json' });");
    bot.command(
        "/receivedRequest",
        "Bot.sendMessage('request ' + options.game_name + ' from ' + options.user_name);");

    String home = bot.answer(bot.mint("{\"command\":\"/start\",\"user_id\":1}"));
    HttpResponse page = bot.hit(path(home));
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.headers().getOrDefault("Content-Type", "")).startsWith("text/html");
    assertThat(page.body())
        .startsWith("<html><head>")
        .contains("<h1>Hello from Test bot</h1> 2 + 2 = 4\n")
        .doesNotContain("<%")
        // The template's header is gone (not "CMD" alone: a random hook id in the page may hold it).
        .doesNotContain("/*CMD", "CMD*/");
    HttpResponse css = bot.hit(path(first(page.body(), "href=\"([^\"]+)\"")));
    assertThat(css.headers().getOrDefault("Content-Type", "")).startsWith("text/css");
    assertThat(css.body()).isEqualTo("body { color: white; }");

    HttpResponse saved =
        bot.hit("POST", path(first(page.body(), "action=\"([^\"]+)\"")),
            "{\"user_id\":1001,\"user_name\":\"Ann\",\"game_name\":\"Temple Run\"}",
            "Content-Type", "application/json");
    assertThat(saved.body()).isEqualTo("{\"success\":true,\"game\":\"Temple Run\"}");
    assertThat(bot.messageTexts()).contains("request Temple Run from Ann");
    HttpResponse other =
        bot.hit("POST", path(first(page.body(), "action=\"([^\"]+)\"")),
            "{\"user_id\":2002,\"game_name\":\"Doom\"}", "Content-Type", "application/json");
    assertThat(other.status()).isEqualTo(503);
    assertThat(bot.lastError().get("message").asText())
        .contains("user_telegramid 2002 is not the run's user");

    // A template is text, not a command: uploading it parses nothing, running it fails clearly.
    assertThat(bot.get("/commands/index.html").get("source").asText()).contains("<% 2+2 %>");
    assertThat(bot.hit(bot.mint("{\"command\":\"index.html\"}")).status()).isEqualTo(503);
    assertThat(bot.lastError().get("message").asText()).contains("is a WebApp template");
    bot.command("/nested", "Bot.runCommand('styles.css')");
    assertThat(bot.hit(bot.mint("{\"command\":\"/nested\"}")).status()).isEqualTo(503);
    assertThat(bot.lastError().get("message").asText())
        .contains("'styles.css' is a WebApp template");
    // A command without a template's name renders too, when its text was accepted as code.
    bot.command("greeting", "'Hello <% options.who %>'");
    bot.command("renderGreeting", "WebApp.render({ template: 'greeting', options: { who: 'Ann' } })");
    assertThat(bot.hit(bot.mint("{\"command\":\"renderGreeting\"}")).body()).isEqualTo("'Hello Ann'");
    bot.command("renderMissing", "WebApp.render({ template: 'nope.html' })");
    assertThat(bot.hit(bot.mint("{\"command\":\"renderMissing\"}")).status()).isEqualTo(503);
    assertThat(bot.lastError().get("message").asText()).contains("no template named 'nope.html'");
  }

  @Test
  void aTapGamesJsonHooksReadTheMethodAndPostedParams() {
    bot.user("1", "{\"telegramid\":1001,\"first_name\":\"Ann\"}");
    bot.command(
        "loadData",
        "const urls = ['trackTapWork'].reduce((acc, m) => {\n"
            + "  acc[m] = Libs.Webhooks.getUrlFor({ command: m, user_id: user.id }); return acc }, {});\n"
            + "let balance = Bot.getProperty('balance_' + user.telegramid);\n"
            + "if (typeof(balance) == 'undefined') { balance = 0 }\n"
            + "WebApp.render({ content: { balance: balance, urls: urls }, mime_type: 'application/json' });");
    bot.command(
        "trackTapWork",
        "if (options.method != 'POST') { return }\n"
            + "let p = options.params;\n"
            + "let result = p.balance > 1000 ? { error: 'too much' } : { success: true };\n"
            + "if (result.success) { Bot.setProperty('balance_' + user.telegramid, p.balance, 'float') }\n"
            + "WebApp.render({ content: result, mime_type: 'application/json' });");
    String load = bot.mint("{\"command\":\"loadData\",\"user_id\":1}");
    JsonNode data = BotHarness.parse(bot.hit(load));
    assertThat(data.get("balance").asInt()).isZero();
    String track = path(data.get("urls").get("trackTapWork").asText());
    assertThat(bot.hit(track).body()).isEqualTo("{\"answer\":null}");
    String json = "Content-Type";
    assertThat(bot.hit("POST", track, "{\"balance\":500}", json, "application/json").body())
        .isEqualTo("{\"success\":true}");
    assertThat(bot.hit("POST", track, "{\"balance\":5000}", json, "application/json").body())
        .isEqualTo("{\"error\":\"too much\"}");
    assertThat(BotHarness.parse(bot.hit(load)).get("balance").asInt()).isEqualTo(500);
  }

  @Test
  void aPaymentProvidersSignedCallbackRunsTheOwnersCommandThroughItsLibrary() throws Exception {
    bot.user("1", "{\"telegramid\":1001,\"first_name\":\"Ann\"}");
    bot.library(
        "PayLib",
        String.join(
            "\n",
            "let libPrefix = 'paylib';",
            "function setMerchantKey(key) { Bot.setProperty(libPrefix + 'merchantkey', key, 'string') }",
            "function callbackUrl(command) {",
            "  return Libs.Webhooks.getUrlFor({ command: libPrefix + 'onCallback ' + command,"
                + " user_id: user.id }) }",
            "function onCallback() {",
            "  let data = JSON.parse(content);",
            "  const key = Bot.getProperty(libPrefix + 'merchantkey');",
            "  const hmac = CryptoJS.HmacSHA512(content, key).toString(CryptoJS.enc.Hex);",
            "  data.validCallback = hmac === options.headers.Hmac;",
            "  Bot.run({ command: params, options: data });",
            "}",
            "publish({ setMerchantKey: setMerchantKey, callbackUrl: callbackUrl });",
            "on(libPrefix + 'onCallback', onCallback);"));
    bot.command(
        "/pay",
        "Libs.PayLib.setMerchantKey('MERCHANT');\n"
            + "let orders = Bot.getProperty('orders') || {};\n"
            + "orders['ORD-7'] = { user_id: user.id, amount: 15 };\n"
            + "Bot.setProperty('orders', orders, 'json');\n"
            + "Bot.sendMessage(Libs.PayLib.callbackUrl('/onCallbackPayment'));");
    bot.command(
        "/onCallbackPayment",
        "if (!options.validCallback) { throw new Error('bad signature') }\n"
            + "let orders = Bot.getProperty('orders');\n"
            + "orders[options.orderId].status = options.status;\n"
            + "Bot.setProperty('orders', orders, 'json');\n"
            + "if (options.status == 'Paid') Bot.sendMessage(`📢 Your payment of ${options.payAmount} was"
            + " successful`);");
    String callback = path(bot.answer(bot.mint("{\"command\":\"/pay\",\"user_id\":1}")));
    String body = "{\"type\":\"payment\",\"status\":\"Paid\",\"orderId\":\"ORD-7\",\"payAmount\":15}";
    Mac mac = Mac.getInstance("HmacSHA512");
    mac.init(new SecretKeySpec("MERCHANT".getBytes(StandardCharsets.UTF_8), "HmacSHA512"));
    String signature = HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));

    assertThat(bot.hit("POST", callback, body, "Content-Type", "application/json", "HMAC",
        signature).status()).isEqualTo(200);
    assertThat(bot.messageTexts()).contains("📢 Your payment of 15 was successful");
    assertThat(bot.property("orders").orElseThrow().get("ORD-7").get("status")
        .asText()).isEqualTo("Paid");
    bot.hit("POST", callback, body, "Content-Type", "application/json", "HMAC", "forged");
    assertThat(bot.lastError().get("message").asText()).contains("bad signature");
  }

  @Test
  void aLibraryThatPublishesNothingIsInLibsAndHttpStatusIsDeclaredInEveryRun() {
    // As a bundled crypto-js: a UMD wrapper that sets a global through this, and no publish.
    bot.library("Crypto", "!function(t, e) { t.Sha = e() }(this, function() { return 'sha' });");
    bot.library(
        "Notify",
        "function onNotification() {\n"
            + "  if (!Libs.Crypto) { return Bot.sendMessage('install Crypto') }\n"
            + "  Bot.run({ command: '/onNotify', options: { result: JSON.parse(content),"
            + " http_status: http_status } });\n"
            + "}\n"
            + "on('NotifyLib_onNotification', onNotification);");
    bot.command(
        "/onNotify",
        "Bot.sendMessage(Sha + ' ' + options.result.type + ' ' + typeof(options.http_status));");
    String hook = bot.mint("{\"command\":\"NotifyLib_onNotification\",\"user_id\":2}");
    assertThat(bot.hit("POST", hook, "{\"type\":\"new-payment\"}").status()).isEqualTo(200);
    assertThat(bot.messageTexts()).contains("sha new-payment undefined");
  }

  @Test
  void letUsedAsAVariableOutsideStrictModeRuns() {
    bot.command(
        "/addkeyboard",
        "/*CMD\n  command: /addkeyboard\nCMD*/\n"
            + "let = cmds = Bot.getProperty('cmds');\n"
            + "if (!cmds) { cmds = { commands: [] } }\n"
            + "cmds.commands.push(params);\n"
            + "Bot.setProperty('cmds', cmds, 'json');\n"
            + "Bot.sendMessage(cmds.commands.join(','));");
    assertThat(bot.answer(bot.mint("{\"command\":\"/addkeyboard a\"}"))).isEqualTo("a");
    assertThat(bot.answer(bot.mint("{\"command\":\"/addkeyboard b\"}"))).isEqualTo("a,b");
  }
}
