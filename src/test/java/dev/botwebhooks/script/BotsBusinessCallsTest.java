package dev.botwebhooks.script;

import static dev.botwebhooks.script.Runs.cmd;
import static dev.botwebhooks.script.Runs.code;
import static dev.botwebhooks.script.Runs.request;
import static dev.botwebhooks.script.Runs.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.core.BotCode;
import dev.botwebhooks.core.Command;
import dev.botwebhooks.core.PropertyType;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.core.RunResult;
import dev.botwebhooks.json.Json;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Calls and globals as Bots.Business gives them to the commands of real bots. */
class BotsBusinessCallsTest {
  private static final long TIME = 2_000;
  private final RhinoScriptRuntime runtime = new RhinoScriptRuntime(Runs.limits(TIME));
  private final MapRunHost host = new MapRunHost();

  private RunResult run(BotCode code, String message) {
    return runtime.run(request(code, message, TIME), host);
  }

  private List<String> texts(BotCode code, String message) {
    RunResult r = run(code, message);
    assertThat(r).isInstanceOf(RunResult.Completed.class);
    return Runs.texts(r);
  }

  /**
   * A direct eval sees the caller's local variables, as in every engine: the Bots.Business Lang
   * library reads each text with {@code eval("json." + item)} of a local {@code json}. Its
   * {@code this} is the global object, not the caller's (README "The script API").
   */
  /**
   * Dates in a locale's words, as browsers write them (each expected text is Node 20's, with a
   * plain space where it puts a narrow no-break one), and read back by {@code new Date}.
   */
  /** {@code command} holds its header's values, as on Bots.Business (the Guard library tests its folder). */
  @Test
  void command_holdsItsHeadersValues() {
    String admin =
        String.join(
            "\n",
            "/*CMD",
            "  command: /adminGive",
            "  help: gives",
            "  need_reply: true",
            "  folder: admins",
            "  aliases: /give, /g",
            "CMD*/",
            "Bot.sendMessage([command.name, command.folder, command.help, command.need_reply,",
            "  command.aliases.join('+'), typeof command.group].join('|'))");
    String plain = "Bot.sendMessage(String(command.folder) + '|' + command.name)";
    assertThat(texts(code("b1", cmd("/adminGive", admin)), "/adminGive"))
        .containsExactly("/adminGive|admins|gives|true|/give+/g|undefined");
    assertThat(texts(code("b1", cmd("/plain", plain)), "/plain")).containsExactly("undefined|/plain");
  }

  /**
   * Built-ins bound to arguments, which check the deadline at every call, behave as bound
   * functions do: called, constructed, named, measured, as callbacks and in instanceof (map passes
   * max its index and array too, so NaN, as in every engine).
   */
  @Test
  void boundBuiltins_keepTheirLanguageBehaviour() {
    String source =
        String.join(
            "\n",
            "var max5 = Math.max.bind(null, 5);",
            "var D = Date.bind(null, 2020, 1, 3);",
            "var d = new D();",
            "var hex = Number.prototype.toString.bind(255, 16);",
            "var push = Function.prototype.call.bind(Array.prototype.push);",
            "var arr = []; push(arr, 'x');",
            "Bot.sendMessage([[1, 9].map(max5).join(), d.getFullYear() + '-' + d.getMonth(),",
            "  d instanceof D, d instanceof Date, hex(), max5.name, max5.length, typeof max5,",
            "  arr.join(), ['1', '2'].map(Number).join(), ['a', '', 'b'].filter(Boolean).length,",
            "  [3, 1, 2].sort(function (a, b) { return a - b }).join(''),",
            "  Array.from('12', Number).join('+')].join('|'))");
    assertThat(texts(code("b1", cmd("/c", source)), "/c"))
        .containsExactly("NaN,NaN|2020-1|true|true|ff|bound max|1|function|x|1,2|2|123|1+2");
  }

  /** The digits a locale's -u-nu- extension asks for, as browsers write them. */
  @Test
  void toLocaleString_ofNumbers_takesTheDigitsTheLocaleAsks() {
    String source =
        "Bot.sendMessage([(1234567.891).toLocaleString('ar-EG-u-nu-latn'),"
            + " (1234567.891).toLocaleString('th-TH-u-nu-thai'),"
            + " (1234567.891).toLocaleString('en-US')].join('|'))";
    assertThat(texts(code("b1", cmd("/c", source)), "/c"))
        .containsExactly("1,234,567.891|๑,๒๓๔,๕๖๗.๘๙๑|1,234,567.891");
  }

  /**
   * An offset time zone is taken in whole minutes, as Intl takes it, under any of its spellings,
   * and its name is the offset: the JDK keeps the names of every zone id it looks one up for, and
   * offsets in seconds made 390,000 ids that one bot could have it keep.
   */
  @Test
  void toLocaleString_withAnOffsetZone_namesTheOffset_inWholeMinutes() {
    String source =
        String.join(
            "\n",
            "var d = new Date(Date.UTC(2024, 0, 15, 12, 5, 9));",
            "var out = [",
            "  d.toLocaleString('en-US', {timeZone: '+05:30', timeZoneName: 'short'}),",
            "  d.toLocaleString('en-US', {timeZone: 'UTC+05:30', timeZoneName: 'long'}),",
            "  d.toLocaleTimeString('en-US', {timeZone: 'GMT-3', timeZoneName: 'short'}),",
            "  d.toLocaleTimeString('en-US', {timeZone: 'Etc/GMT-1'})];",
            "try { d.toLocaleString('en-US', {timeZone: 'GMT+01:41:55'}) } catch (e) { out.push(e.name) }",
            "Bot.sendMessage(out.join('|'))");
    assertThat(texts(code("b1", cmd("/c", source)), "/c"))
        .containsExactly(
            "1/15/2024, 5:35:09 PM GMT+5:30|1/15/2024, 5:35:09 PM GMT+05:30|9:05:09 AM GMT-3|"
                + "1:05:09 PM|RangeError");
  }

  @Test
  void toLocaleString_ofDates_takesItsOptions_asBrowsersDo() {
    String source =
        String.join(
            "\n",
            "var d = new Date(Date.UTC(2024, 0, 15, 12, 5, 9));",
            "var out = [",
            "  d.toLocaleString('en-US', {timeZone: 'UTC'}),",
            "  d.toLocaleString('en-US', {timeZone: 'Asia/Dhaka'}),",
            "  d.toLocaleDateString('en-US', {timeZone: 'Asia/Kolkata', day: '2-digit', month: 'long', year: 'numeric'}),",
            "  d.toLocaleTimeString(undefined, {timeZone: 'UTC'}),",
            "  d.toLocaleTimeString('en-US', {hour: '2-digit', minute: '2-digit', timeZone: 'America/Mexico_City'}),",
            "  d.toLocaleDateString(undefined, {timeZone: 'UTC'}),",
            "  d.toLocaleDateString('en-US', {weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC'}),",
            "  d.toLocaleString('en-GB', {timeZone: 'UTC'}),",
            "  d.toLocaleString('ru-RU', {timeZone: 'Europe/Moscow'}),",
            "  d.toLocaleTimeString('en-US', {hour12: false, timeZone: 'UTC'}),",
            "  d.toLocaleString('en-US', {dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC'}),",
            "  d.toLocaleDateString('en-US', {month: 'short', day: 'numeric', timeZone: 'UTC'}),",
            "  d.toLocaleString('en-US', {month: '2-digit', day: '2-digit', year: '2-digit', timeZone: 'UTC'}),",
            "  new Date(d.toLocaleString('en-US', {timeZone: 'Asia/Kolkata'})).getFullYear(),",
            "  d.toLocaleString('en-US', {timeZone: 'UTC', timeZoneName: 'short'}),",
            "  d.toLocaleDateString('en-US', {era: 'short', year: 'numeric', timeZone: 'UTC'}),",
            "  d.toLocaleDateString('de-DE', {year: 'numeric', timeZone: 'UTC'}),",
            "  d.toLocaleDateString('zh-CN', {month: 'long', timeZone: 'UTC'}),",
            "  d.toLocaleTimeString('en-US', {timeZone: 'europe/moscow'}),",
            "  d.toLocaleTimeString('en-US', {timeZone: 'EST'}),",
            "  new Date(Date.UTC(2024, 0, 15, 0, 30)).toLocaleTimeString('en-US', {hourCycle: 'h11', timeZone: 'UTC'}),",
            "  new Date(NaN).toLocaleString()];",
            "var bad = [];",
            "try { d.toLocaleString('en-US', {timeZone: 'Mars/Olympus'}) } catch (e) { bad.push(e.name) }",
            "try { d.toLocaleString('en-US', {month: 'huge'}) } catch (e) { bad.push(e.name) }",
            "var all = out.concat(bad);",
            "for (var i = 0; i < all.length; i += 9) Bot.sendMessage(all.slice(i, i + 9).join('|'))");
    assertThat(String.join("|", texts(code("b1", cmd("/c", source)), "/c")))
        .isEqualTo(
            String.join(
                "|",
                "1/15/2024, 12:05:09 PM",
                "1/15/2024, 6:05:09 PM",
                "January 15, 2024",
                "12:05:09 PM",
                "06:05 AM",
                "1/15/2024",
                "Monday, January 15, 2024",
                "15/01/2024, 12:05:09",
                "15.01.2024, 15:05:09",
                "12:05:09",
                "Jan 15, 2024, 12:05 PM",
                "Jan 15",
                "01/15/24",
                "2024",
                "1/15/2024, 12:05:09 PM UTC",
                "2024 AD",
                "2024",
                "一月",
                "3:05:09 PM",
                "7:05:09 AM",
                "0:30:00 AM",
                "Invalid Date",
                "RangeError",
                "RangeError"));
  }

  @Test
  void eval_seesTheCallersLocalVariables() {
    String source =
        String.join(
            "\n",
            "function t(item) {",
            "  var json = {hello: 'Hi', nested: {a: 'A'}}; var result;",
            "  try { result = eval('json.' + item) } catch (err) { result = 'E:' + err }",
            "  return result }",
            "var x = 1;",
            "function g() { var x = 2; return eval('x') }",
            "function h() { eval('var made = 3'); return made }",
            "var obj = {v: 4, m: function () { var w = 5; return eval('w + typeof this.v') }};",
            "Bot.sendMessage([t('hello'), t('nested.a'), g(), h(), eval('x + 1'),",
            "  eval(7), typeof eval('(function () { return 5 })'), obj.m()].join())");
    assertThat(texts(code("b1", cmd("/c", source)), "/c")).containsExactly("Hi,A,2,3,2,7,function,5undefined");
  }

  @Test
  void jsonKeysThatLookLikeNumbersReadBackInPropertiesAndOptions() {
    ObjectNode wallets = Json.object();
    wallets.putObject("101").put("balance", 5);
    wallets.putObject("abc").put("balance", 1);
    host.properties.put("bot:wallets", new PropertyValue(PropertyType.JSON, wallets));
    ObjectNode options = Json.object();
    options.putObject("params").put("5", "five").put("x", "y");
    String source =
        "var w = Bot.getProperty('wallets'); w[202] = {balance: 2};"
            + "Bot.sendMessage([w['101'].balance, w[101].balance, w.abc.balance,"
            + " Object.keys(w).join(','), options.params['5'], options.params[5]].join('|'));"
            + "Bot.setProperty('wallets', w, 'json');";
    RunResult r =
        runtime.run(request(code("b1", cmd("/pay", source)), "/pay", options, TIME), host);
    assertThat(Runs.texts(r)).containsExactly("5|5|1|101,202,abc|five|five");
    assertThat(host.properties.get("bot:wallets").value().path("202").path("balance").asInt())
        .isEqualTo(2);
  }

  @Test
  void propertyNotSet_readsAsTheDefaultGiven_nullIncluded_elseUndefined() {
    assertThat(
            texts(
                code("b1", cmd("/c", "Bot.sendMessage([Bot.getProperty('none', null) === null,"
                    + " typeof Bot.getProperty('none'), Bot.getProperty('none', 3),"
                    + " User.getProperty({name: 'none', default: null}) === null,"
                    + " typeof User.getProperty({name: 'none'})].join('|'))")),
                "/c"))
        .containsExactly("true|undefined|3|true|undefined");
  }

  @Test
  void typeNamesThatBotsBusinessBotsWrite_areTaken() {
    String source =
        "User.setProperty('balance', 2.5, 'number'); User.setProperty('order', {code: 'ru'},"
            + " 'Object'); User.setProperty('list', [1], 'Array');"
            + " Bot.sendMessage([User.getProperty('balance') + 1, User.getProperty('order').code,"
            + " User.getProperty('list').length].join('|'));";
    assertThat(texts(code("b1", cmd("/c", source)), "/c")).containsExactly("3.5|ru|1");
    assertThat(host.properties)
        .hasEntrySatisfying(
            key(host, "order"), v -> assertThat(v.type()).isEqualTo(PropertyType.JSON))
        .hasEntrySatisfying(
            key(host, "balance"), v -> assertThat(v.type()).isEqualTo(PropertyType.FLOAT));
  }

  private static String key(MapRunHost host, String name) {
    return host.properties.keySet().stream()
        .filter(k -> k.endsWith(":" + name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void chatIsTheUsersPrivateChat() {
    assertThat(
            texts(
                code("b1", cmd("/c", "Bot.sendMessage([chat.chatid, chat.chat_type, chat.user_id,"
                    + " typeof chat.chatid].join('|'))")),
                "/c"))
        .containsExactly("4242|private|42|number");
  }

  @Test
  void numbersFormatForALocale() {
    assertThat(
            texts(
                code("b1", cmd("/c", "Bot.sendMessage([(1234567.891).toLocaleString(),"
                    + " (1234.5).toLocaleString('en-US'), (1234.5).toLocaleString('de-DE'),"
                    + " (0.256).toLocaleString('en-US', {style: 'percent'}),"
                    + " (5).toLocaleString('en-US', {style: 'currency', currency: 'USD'}),"
                    + " (2.5).toLocaleString(undefined, {maximumFractionDigits: 0}),"
                    + " (1e3).toLocaleString(['en-GB'], {minimumFractionDigits: 2})].join('|'))")),
                "/c"))
        .containsExactly("1,234,567.891|1,234.5|1.234,5|26%|$5.00|3|1,000.00");
    RunResult bad =
        run(code("b1", cmd("/c", "(1).toLocaleString('en_US!!')")), "/c");
    assertThat(((RunResult.Failed) bad).message()).contains("RangeError");
  }

  @Test
  void userPropertiesOfAnotherUserByUserId() {
    host.properties.put("user:7:coins", new PropertyValue(PropertyType.INTEGER, Json.MAPPER.getNodeFactory().numberNode(9)));
    RunResult r =
        runtime.run(
            Runs.global(
                code("b1", cmd("/c", "User.setProperty({name: 'seen', value: true, user_id: 7});"
                    + "Bot.sendMessage(User.getProperty({name: 'coins', user_id: 7}))")),
                "/c",
                TIME),
            host);
    assertThat(Runs.texts(r)).containsExactly("9");
    assertThat(host.properties).containsKey("user:7:seen");
  }

  @Test
  void namesWithSpacesAndEmoji() {
    BotCode code =
        code(
            "b1",
            cmd("good morning", "Bot.sendMessage('gm:' + params + ':' + command.name)"),
            cmd("good", "Bot.sendMessage('good:' + params)"),
            new Command("💰 Balance", List.of("Back 🔙"), "Bot.sendMessage('bal:' + message)", 1),
            cmd("/run", "Bot.runCommand('good morning all'); Bot.runCommand('Back 🔙')"));
    assertThat(texts(code, "good morning")).containsExactly("gm::good morning");
    assertThat(texts(code, "good morning to you")).containsExactly("gm:to you:good morning");
    assertThat(texts(code, "good night")).containsExactly("good:night");
    assertThat(texts(code, "Back 🔙")).containsExactly("bal:Back 🔙");
    assertThat(texts(code, "/run")).containsExactly("gm:all:good morning", "bal:Back 🔙");
  }

  @Test
  void aMissingCommandRunsTheMasterCommandElseFails() {
    Command master = cmd("*", "Bot.sendMessage('master:' + message + ':' + params)");
    BotCode withMaster =
        code("b1", master, cmd("/go", "Bot.runCommand('/nowhere 5'); Bot.sendMessage('back')"));
    assertThat(texts(withMaster, "/go")).containsExactly("master:/nowhere 5:", "back");
    assertThat(texts(withMaster, "/unknown x")).containsExactly("master:/unknown x:");
    BotCode without = code("b1", cmd("/go", "try { Bot.runCommand('/nowhere') } catch (e) {"
        + " Bot.sendMessage(e.message) }"));
    assertThat(texts(without, "/go")).containsExactly("command not found: /nowhere");
    assertThat(((RunResult.Failed) run(without, "/nowhere")).message())
        .isEqualTo("command not found: /nowhere");
    assertThat(Optional.of(master.name())).contains(CommandLookup.MASTER);
  }
}
