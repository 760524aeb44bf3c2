package dev.botwebhooks.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Flows written the way Bots.Business bots write them, through the bot API and hits on a real
 * store: orders keyed by id, a {@code class} in the {@code @} command, names with spaces, errors
 * naming the owner's line. Run against each store by a subclass.
 */
abstract class BotsBusinessFlows {
  BotHarness bot;

  abstract Store newStore();

  @BeforeEach
  void setUp() {
    bot = new BotHarness(newStore(), Map.of());
  }

  @Test
  void paymentCallbackKeyedByOrderId() {
    bot.user("8", "{\"telegramid\":8,\"first_name\":\"Ann\"}");
    bot.command(
        "/buy",
        String.join(
            "\n",
            "let orders = Bot.getProperty('orders') || {};",
            "let id = 1000 + Object.keys(orders).length + 1;",
            "orders[id] = { user_id: user.id, amount: Number(params), paid: false };",
            "Bot.setProperty('orders', orders, 'json');",
            "Bot.sendMessage('order ' + id + ' ' + Libs.Webhooks.getGlobalUrl({ command: '/onPaid' }));"));
    bot.command(
        "/onPaid",
        String.join(
            "\n",
            "let body = JSON.parse(content);",
            "let orders = Bot.getProperty('orders');",
            "let order = orders[body.order_id];",
            "if (!order || order.paid) { throw new Error('unknown or paid order ' + body.order_id) }",
            "order.paid = true;",
            "Bot.setProperty('orders', orders, 'json');",
            "let wallets = Bot.getProperty('wallets') || {};",
            "wallets[order.user_id] = (wallets[String(order.user_id)] || 0) + order.amount;",
            "Bot.setProperty('wallets', wallets, 'json');",
            "Bot.sendMessage('paid ' + options.params.order_id + ': ' + wallets[order.user_id]);"));
    String buy = bot.mint("{\"command\":\"/buy 25\",\"user_id\":8}");
    assertThat(bot.answer(buy)).startsWith("order 1001 https://hooks.example.test/hooks/");
    String callback =
        bot.answer(buy).substring(bot.answer(buy).indexOf("https://hooks.example.test") + 26);

    HttpResponse paid =
        bot.hit("POST", callback, "{\"order_id\":1001,\"status\":\"paid\"}",
            "Content-Type", "application/json");
    assertThat(BotHarness.parse(paid).get("answer").asText()).isEqualTo("paid 1001: 25");
    JsonNode orders = bot.get("/properties/orders").get("value");
    assertThat(orders.get("1001").get("paid").asBoolean()).isTrue();
    assertThat(orders.get("1001").get("user_id").asInt()).isEqualTo(8);
    assertThat(orders.size()).isEqualTo(3);
    assertThat(bot.get("/properties/wallets").get("value").get("8").asInt()).isEqualTo(25);
    HttpResponse again =
        bot.hit("POST", callback, "{\"order_id\":1001}", "Content-Type", "application/json");
    assertThat(again.status()).isEqualTo(503);
    assertThat(bot.lastError().get("message").asText()).contains("unknown or paid order 1001");
  }

  @Test
  void aCommandUsingClassRunsAfterTranspilingAtUpload() {
    bot.command(
        "@",
        String.join(
            "\n",
            "/*CMD",
            "  command: @",
            "CMD*/",
            "class Account {",
            "  constructor(id) { this.id = id; this.balance = User.getProperty('balance') || 0 }",
            "  get label() { return `#${this.id}: ${this.balance}` }",
            "  add(...amounts) { this.balance += amounts.reduce((a, b) => a + b, 0); return this }",
            "}",
            "class Vip extends Account {",
            "  get label() { return 'VIP ' + super.label }",
            "}"));
    bot.command(
        "💰 Balance",
        "const { first, ...others } = { first: 1, second: 2, third: 3 };\n"
            + "let acc = new Vip(user.id).add(first, ...Object.values(others));\n"
            + "User.setProperty('balance', acc.balance, 'integer');\n"
            + "Bot.sendMessage(acc.label + ' ' + params);");
    String hook = bot.mint("{\"command\":\"💰 Balance now\",\"user_id\":\"5\"}");
    assertThat(bot.answer(hook)).isEqualTo("VIP #5: 6 now");
    assertThat(bot.answer(hook)).isEqualTo("VIP #5: 12 now");
    JsonNode read = bot.get("/commands/%40");
    assertThat(read.get("source").asText()).startsWith("/*CMD").contains("class Vip extends");
  }

  @Test
  void runtimeErrorsNameTheLineOfTheOwnersFile() {
    bot.command("@", "var greeting = 'hi';\nvar unused = 2;");
    bot.command("@@", "Bot.sendMessage('after');");
    bot.command("/oops", "Bot.sendMessage(greeting); nothing.here();");
    assertThat(bot.hit(bot.mint("{\"command\":\"/oops\"}")).status()).isEqualTo(503);
    assertThat(bot.lastError().get("message").asText())
        .contains("nothing")
        .endsWith("(command /oops, line 1)");

    bot.command("/classy", "class K {\n  m() {\n    return missing.value;\n  }\n}\nnew K().m();");
    assertThat(bot.hit(bot.mint("{\"command\":\"/classy\"}")).status()).isEqualTo(503);
    assertThat(bot.lastError().get("message").asText()).endsWith("(command /classy, line 3)");
  }

  @Test
  void aSyntaxErrorIsRefusedAtUploadNamingLineAndColumn() {
    HttpResponse r =
        bot.api.handle(
            BotHarness.put(
                "/bots/" + bot.botId + "/commands/%2Fbad", bot.apiKey,
                "/*CMD\n  command: /bad\nCMD*/\nclass A {}\nlet x = ;\n", "text/plain"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(BotHarness.parse(r).get("error").asText())
        .startsWith("syntax error at line 5, column 9");
    assertThat(bot.get("/commands").get("items")).isEmpty();
  }

  @Test
  void adminPanelMadeByACommandFilledThroughTheApi() {
    bot.command(
        "/config",
        String.join(
            "\n",
            "AdminPanel.setPanel({",
            "  panel_name: 'AdminInfo',",
            "  data: { title: 'Admin Information', icon: 'key', fields: [",
            "    { name: 'ADMIN_ID', title: 'Admin ID', type: 'integer', value: 100 },",
            "    { name: 'GREETING', title: 'Greeting', type: 'string' },",
            "    { name: 'OPEN', title: 'Open', type: 'checkbox' } ] }",
            "});",
            "Bot.sendMessage(inspect(AdminPanel.getPanelValues('AdminInfo')));"));
    bot.command(
        "/admin",
        "Bot.sendMessage([AdminPanel.getFieldValue({ panel_name: 'AdminInfo', field_name: 'ADMIN_ID' }),"
            + " AdminPanel.getPanelValues('AdminInfo').GREETING,"
            + " AdminPanel.getPanel('AdminInfo').title,"
            + " AdminPanel.setFieldValue({ panel_name: 'AdminInfo', field_name: 'OPEN', value: true }),"
            + " AdminPanel.getPanelField({ panel_name: 'AdminInfo', field_name: 'OPEN' }).value].join('|'))");
    String config = bot.mint("{\"command\":\"/config\"}");
    assertThat(bot.answer(config)).contains("\"ADMIN_ID\": 100").contains("\"GREETING\": null");

    HttpResponse filled =
        bot.api.handle(
            BotHarness.put(
                "/bots/" + bot.botId + "/admin-panels/AdminInfo/values", bot.apiKey,
                "{\"ADMIN_ID\": \" 4.2e1 \", \"GREETING\": \"hello\"}", "application/json"));
    assertThat(filled.status()).as(filled.body()).isEqualTo(200);
    assertThat(BotHarness.parse(filled).get("values").toString())
        .isEqualTo("{\"ADMIN_ID\":42,\"GREETING\":\"hello\",\"OPEN\":null}");
    HttpResponse refused =
        bot.api.handle(
            BotHarness.put(
                "/bots/" + bot.botId + "/admin-panels/AdminInfo/values", bot.apiKey,
                "{\"NOPE\": 1}", "application/json"));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(BotHarness.parse(refused).get("error").asText()).contains("no field 'NOPE'");
    // Numbers as the properties take them; a panel is a property and fits MAX_PROPERTY_BYTES.
    for (String bad :
        List.of("{\"ADMIN_ID\": 99999999999999999999}", "{\"ADMIN_ID\": \"NaN\"}",
            "{\"ADMIN_ID\": \"1e400\"}", "{\"ADMIN_ID\": 1.5}", "{\"ADMIN_ID\": \"5d\"}",
            "{\"ADMIN_ID\": \"0x1p4\"}", "{\"ADMIN_ID\": \"2f\"}", "{\"ADMIN_ID\": \"1_000\"}")) {
      HttpResponse r =
          bot.api.handle(
              BotHarness.put(
                  "/bots/" + bot.botId + "/admin-panels/AdminInfo/values", bot.apiKey, bad,
                  "application/json"));
      assertThat(r.status()).as(bad).isEqualTo(400);
      assertThat(BotHarness.parse(r).get("error").asText()).as(bad).contains("ADMIN_ID");
    }
    HttpResponse tooBig =
        bot.api.handle(
            BotHarness.put(
                "/bots/" + bot.botId + "/admin-panels/AdminInfo/values", bot.apiKey,
                "{\"GREETING\": \"" + "x".repeat(70_000) + "\"}", "application/json"));
    assertThat(tooBig.status()).isEqualTo(413);
    assertThat(BotHarness.parse(tooBig).get("error").asText()).contains("MAX_PROPERTY_BYTES");

    bot.answer(config); // setting the panel again keeps the values filled in
    assertThat(bot.answer(bot.mint("{\"command\":\"/admin\"}")))
        .isEqualTo("42|hello|Admin Information|true|true");
    assertThat(bot.get("/admin-panels/AdminInfo").get("values").get("OPEN").asBoolean()).isTrue();
  }

  @Test
  void theHeadersAnswerAndKeyboardAreSentWhenTheCommandRuns() {
    bot.command(
        "/menu",
        "/*CMD\n  command: /menu\n  answer: Pick one\n  keyboard: 💰 Balance, Back 🔙\n"
            + "  aliases: menu\nCMD*/\nBot.sendMessage('after the answer');");
    bot.command("/go", "Bot.runCommand('menu');");
    bot.hit(bot.mint("{\"command\":\"/go\",\"user_id\":\"3\"}"));
    JsonNode items = bot.get("/messages?user_id=3").get("items");
    assertThat(items.get(1).get("text").asText()).isEqualTo("Pick one");
    assertThat(items.get(1).get("keyboard").asText()).isEqualTo("💰 Balance, Back 🔙");
    assertThat(items.get(0).get("text").asText()).isEqualTo("after the answer");
  }

  /** The block form Bots.Business exports write for a multi-line answer and keyboard. */
  @Test
  void anExportsAnswerAndKeyboardBlocksAreSentWhenTheCommandRuns() {
    bot.command(
        "/url",
        "/*CMD\n  command: /url\n  help: \n  need_reply: true\n  auto_retry_time: \n  folder: \n\n"
            + "  <<ANSWER\n➡️* send me your URL*\n\nIf you don’t have one, ask\n  ANSWER\n\n"
            + "  <<KEYBOARD\n❌ Cancel\n  KEYBOARD\n  aliases: \n  group: \nCMD*/\n\n"
            + "Bot.sendMessage('code ran');");
    bot.hit(bot.mint("{\"command\":\"/url\",\"user_id\":\"5\"}"));
    JsonNode items = bot.get("/messages?user_id=5").get("items");
    assertThat(items.get(1).get("text").asText())
        .isEqualTo("➡️* send me your URL*\n\nIf you don’t have one, ask");
    assertThat(items.get(1).get("keyboard").asText()).isEqualTo("❌ Cancel");
    assertThat(items.get(0).get("text").asText()).isEqualTo("code ran");
  }

  @Test
  void webAppUrlRunsTheCommandThatRendersThePage() {
    bot.command(
        "/start",
        "Bot.sendMessage(WebApp.getUrl({ command: 'renderPage', options: { theme: 'dark' } }))");
    bot.command(
        "renderPage",
        "WebApp.render({ content: '<p>' + user.id + ' ' + options.params.theme + '</p>' })");
    String url = bot.answer(bot.mint("{\"command\":\"/start\",\"user_id\":4}"));
    assertThat(url).startsWith("https://hooks.example.test/hooks/").endsWith("?theme=dark");
    HttpResponse page = bot.hit(url.substring("https://hooks.example.test".length()));
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).isEqualTo("<p>4 dark</p>");
  }

  @Test
  void aRotatedKeyWorksAtOnce_theOldOneNoLonger_hooksKeepWorking() {
    bot.command("/ping", "Bot.sendMessage('pong')");
    String hook = bot.mint("{\"command\":\"/ping\"}");

    JsonNode rotated = bot.callWith(bot.apiKey, "POST", "/bots/" + bot.botId + "/api-key").json();
    String newKey = rotated.get("api_key").asText();

    assertThat(newKey).startsWith(bot.botId + ".").isNotEqualTo(bot.apiKey);
    String commands = "/bots/" + bot.botId + "/commands";
    assertThat(bot.callWith(bot.apiKey, "GET", commands).status()).isEqualTo(401);
    assertThat(bot.callWith(newKey, "GET", commands).status()).isEqualTo(200);
    assertThat(bot.answer(hook)).isEqualTo("pong");
  }

  @Test
  void aDeletedBotsHooksAnswer404_itsKeyFails_andTheAdminNoLongerListsIt() {
    bot.command("/ping", "Bot.sendMessage('pong')");
    String hook = bot.mint("{\"command\":\"/ping\",\"user_id\":5}");
    assertThat(bot.answer(hook)).isEqualTo("pong");
    String admin = BotHarness.ADMIN_KEY;

    assertThat(bot.callWith(admin, "DELETE", "/bots/" + bot.botId).status()).isEqualTo(204);

    assertThat(bot.hit(hook).status()).isEqualTo(404);
    assertThat(bot.callWith(bot.apiKey, "GET", "/bots/" + bot.botId + "/commands").status())
        .isEqualTo(401);
    assertThat(bot.callWith(admin, "GET", "/bots/" + bot.botId + "/commands").status())
        .isEqualTo(404);
    assertThat(bot.callWith(admin, "DELETE", "/bots/" + bot.botId).status()).isEqualTo(404);
    JsonNode listed = bot.callWith(admin, "GET", "/bots?limit=100").json();
    listed.get("items").forEach(b -> assertThat(b.get("id").asText()).isNotEqualTo(bot.botId));
  }
}
