package dev.botwebhooks.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.core.StoreUnavailableException;
import dev.botwebhooks.egress.EgressSettings;
import dev.botwebhooks.egress.TestServer;
import dev.botwebhooks.gitimport.Zips;
import dev.botwebhooks.http.HttpResponse;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.testing.BotOwner;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code Bot.importGit} end to end (README "Importing from git"), with the Git Sync commands of the
 * public BBInvestBot export as written: a GitHub push hits {@code /on-git-push}, which queues the
 * import and posts the commits' news; the archive, served by a real server on 127.0.0.1 (reached
 * through the allow list only), replaces the bot's code; then the {@code success} command runs.
 * Run against each store.
 */
abstract class GitImportScenarios {
  // BBInvestBot's commands/GitSync/_on-git-push.js, as exported.
  static final String ON_GIT_PUSH =
      """
      /*CMD
        command: /on-git-push
        help:\s
        need_reply:\s
        auto_retry_time:\s
        folder: GitSync
        answer:\s
        keyboard:\s
        aliases:\s
      CMD*/

      Bot.sendMessage("Start code importing...");

      // Bot.exportGit also possible
      Bot.importGit({
        branch: "master", // it is master branch
        success: "on-git-import-complete"
      })

      var chat_for_news = Base.getConfigValue("GitSync", "CHAT_FOR_NEWS_ABOUT_GIT_WEBHOOK");
      if(!chat_for_news){
        // no news about commits if no chat
        return
      }

      var info = "*New changes: *\\n\\n"

      var webhook_info = JSON.parse(content);

      var commits = webhook_info.commits;
      for(ind in commits){
        commit = commits[ind];
        info = info + "➕ " +
          // fix for possible markup issue
          commit.message.split("*").join("").split("_").join( ).split("`").join("'") +
          " [view](" + commit.url + ")\\n"
      }

      Api.sendMessage({
        text: info,
        chat_id: chat_for_news, // by default "@bbinvestnews"
        disable_web_page_preview: true,
        parse_mode: "Markdown"
      });""";

  // BBInvestBot's commands/GitSync/on-git-import-complete.js, as exported.
  static final String ON_IMPORT_COMPLETE =
      """
      /*CMD
        command: on-git-import-complete
        help:\s
        need_reply:\s
        auto_retry_time:\s
        folder: GitSync
        answer: Git import completed. Setup is runned
        keyboard:\s
        aliases:\s
      CMD*/

      Bot.runCommand("/setup");""";

  // The part of BBInvestBot's setup_admin_panels.js and libs/Base.js these commands reach.
  static final String SETUP_PANELS =
      """
      /*CMD
        command: setup_admin_panels
      CMD*/
      AdminPanel.setPanel({ panel_name: "GitSync", data: {
        title: "Git Sync options",
        fields: [{ name: "CHAT_FOR_NEWS_ABOUT_GIT_WEBHOOK", title: "Chat name", type: "string" }]
      }});""";

  static final String BASE =
      """
      function getConfigValue(panel_name, field_name){
        return AdminPanel.getFieldValue({ panel_name: panel_name, field_name: field_name })
      }
      publish({ getConfigValue: getConfigValue })""";

  // BBInvestBot's commands/Common/@.js, which runs before every command, without its languages.
  static final String BEFORE_ALL = "/*CMD\n  command: @\n  folder: Common\nCMD*/\n\nBase = Libs.Base;";

  static final String PUSH =
      """
      {"ref":"refs/heads/master","commits":[
        {"message":"Fix *deposit* menu","url":"https://github.com/o/bot/commit/a1"},
        {"message":"Add `lang` files","url":"https://github.com/o/bot/commit/b2"}]}""";

  TestServer server;
  BotHarness bot;
  final AtomicReference<byte[]> archive = new AtomicReference<>();

  abstract Store newStore();

  @BeforeEach
  void setUp() throws IOException {
    server = new TestServer();
    server.on(
        "/o/bot/archive/",
        ex -> {
          byte[] zip = archive.get();
          ex.getResponseHeaders().add("Content-Type", "application/zip");
          ex.sendResponseHeaders(zip == null ? 404 : 200, zip == null ? -1 : zip.length);
          if (zip != null) {
            try (OutputStream out = ex.getResponseBody()) {
              out.write(zip);
            }
          }
          ex.close();
        });
    bot =
        new BotHarness(
            failingWrites(newStore()),
            Map.of(),
            EgressSettings.defaults().withAllowed(Set.of(server.hostPort())));
    bot.user("1", "{\"telegramid\":1,\"first_name\":\"Ann\"}");
    bot.library("Base", BASE);
    bot.command("@", BEFORE_ALL);
    bot.command("/on-git-push", ON_GIT_PUSH);
    bot.command("setup_admin_panels", SETUP_PANELS);
    bot.command("/old", "Bot.sendMessage('old');");
  }

  /** Once at 0 or more: how many more command writes pass before each fails as the store away. */
  final AtomicInteger writesBeforeFailing = new AtomicInteger(-1);

  private Store failingWrites(Store target) {
    return (Store)
        Proxy.newProxyInstance(
            Store.class.getClassLoader(),
            new Class<?>[] {Store.class},
            (proxy, method, args) -> {
              if (method.getName().equals("putCommand")
                  && writesBeforeFailing.get() >= 0
                  && writesBeforeFailing.getAndDecrement() == 0) {
                writesBeforeFailing.set(0);
                throw new StoreUnavailableException("injected: DynamoDB timed out", null);
              }
              try {
                return method.invoke(target, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  /** The bot as its git repository holds it, under GitHub's top folder. */
  static Map<String, String> repository(String setupMessage) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("bot-master/bot.json", "{\"name\":\"BBInvestBot\"}");
    files.put("bot-master/README.md", "# bot");
    files.put("bot-master/commands/Common/@.js", BEFORE_ALL);
    files.put("bot-master/commands/GitSync/_on-git-push.js", ON_GIT_PUSH);
    files.put("bot-master/commands/GitSync/on-git-import-complete.js", ON_IMPORT_COMPLETE);
    files.put("bot-master/commands/Admin/setup_admin_panels.js", SETUP_PANELS);
    files.put(
        "bot-master/commands/Admin/_setup.js",
        "/*CMD\n  command: /setup\n  folder: Admin\nCMD*/\n\nBot.sendMessage('" + setupMessage
            + "');");
    files.put(
        "bot-master/commands/Menu/💰 Balance.js",
        "class Wallet { constructor(b) { this.b = b } text() { return 'Balance: ' + this.b } }\n"
            + "Bot.sendMessage(new Wallet(5).text());");
    files.put("bot-master/libs/Base.js", BASE);
    files.put("bot-master/libs/Webhooks.js", "// the bundled copy of the built-in library");
    return files;
  }



  private void setGit() {
    bot.ok(
        "PUT",
        "/git",
        "application/json",
        "{\"archive_url\":\"" + server.url("/o/bot/archive/{branch}.zip") + "\"}");
  }

  private HttpResponse push(String hook) {
    return bot.hit(
        "POST", hook, PUSH, "Content-Type", "application/json", "X-GitHub-Event", "push");
  }

  private List<String> commandNames() {
    List<String> names = new ArrayList<>();
    bot.all("/commands").forEach(c -> names.add(c.get("name").asText()));
    return names;
  }



  @Test
  void aPushImportsTheRepository_runsTheSuccessCommand_andPostsTheCommitsNews() throws Exception {
    archive.set(Zips.of(repository("setup from git")));
    setGit();
    bot.hit(bot.mint("{\"command\":\"setup_admin_panels\",\"user_id\":\"1\"}"));
    bot.ok(
        "PUT",
        "/admin-panels/GitSync/values",
        "application/json",
        "{\"CHAT_FOR_NEWS_ABOUT_GIT_WEBHOOK\":\"@bbinvestnews\"}");
    String hook = bot.mint("{\"command\":\"/on-git-push\",\"user_id\":\"1\"}");

    HttpResponse pushed = push(hook);
    assertThat(pushed.status()).as(pushed.body() + " " + bot.lastError()).isEqualTo(200);
    assertThat(Json.parse(pushed.body()).get("answer").asText())
        .isEqualTo("Start code importing...");
    bot.settleCalls();

    assertThat(server.received).extracting(TestServer.Received::uri)
        .containsExactly("/o/bot/archive/master.zip");
    assertThat(commandNames())
        .containsExactlyInAnyOrder(
            "@", "/on-git-push", "on-git-import-complete", "setup_admin_panels", "/setup",
            "💰 Balance");
    assertThat(bot.all("/messages?user_id=1"))
        .extracting(m -> m.path("text").asText(null))
        .containsSubsequence(
            "setup from git", "Git import completed. Setup is runned", "Start code importing...");
    JsonNode news =
        bot.all("/messages?user_id=1").stream()
            .filter(m -> "sendMessage".equals(m.path("method").asText()))
            .findFirst()
            .orElseThrow();
    assertThat(news.get("params").get("chat_id").asText()).isEqualTo("@bbinvestnews");
    assertThat(news.get("params").get("text").asText())
        .isEqualTo(
            "*New changes: *\n\n"
                + "➕ Fix deposit menu [view](https://github.com/o/bot/commit/a1)\n"
                + "➕ Add 'lang' files [view](https://github.com/o/bot/commit/b2)\n");
    assertThat(bot.answer(bot.mint("{\"command\":\"💰 Balance\",\"user_id\":\"1\"}")))
        .as("a command using class, imported")
        .isEqualTo("Balance: 5");
  }

  @Test
  void aSecondPushOfTheSameArchive_changesNoCode_andTheNextOneUpdatesIt() throws Exception {
    archive.set(Zips.of(repository("v1")));
    setGit();
    String hook = bot.mint("{\"command\":\"/on-git-push\",\"user_id\":\"1\"}");
    push(hook);
    bot.settleCalls();
    JsonNode before = bot.get("/commands/%2Fsetup");

    push(hook);
    bot.settleCalls();
    assertThat(bot.get("/commands/%2Fsetup")).isEqualTo(before);

    archive.set(Zips.of(repository("v2")));
    push(hook);
    bot.settleCalls();
    assertThat(bot.get("/commands/%2Fsetup").get("source").asText()).contains("'v2'");
    assertThat(bot.userMessages("1")).containsSubsequence("v2", "v1", "v1");
  }

  /**
   * Pushes a repository with one more command file in it; the import must be refused: no command
   * changed and none of the repository's messages sent. Returns the error log's message.
   */
  private String pushRefused(String file, String body) throws Exception {
    Map<String, String> files = repository("never");
    files.put("bot-master/commands/" + file, body);
    archive.set(Zips.of(files));
    setGit();
    List<String> before = commandNames();

    push(bot.mint("{\"command\":\"/on-git-push\",\"user_id\":\"1\"}"));
    bot.settleCalls();

    assertThat(commandNames()).containsExactlyInAnyOrderElementsOf(before);
    assertThat(bot.userMessages("1")).doesNotContain("never", "Git import completed. Setup is runned");
    return bot.lastError().get("message").asText();
  }

  @Test
  void aBrokenArchive_changesNothing_andTheErrorLogSaysWhy() throws Exception {
    String error = pushRefused("broken.js", "Bot.sendMessage('x'");
    assertThat(error)
        .startsWith("Bot.importGit failed: the git import was refused, nothing changed:")
        .contains("commands/broken.js: syntax error at line 1");
  }

  /** A file nested too deeply for the compiler refuses the import like any syntax error. */
  @Test
  void aFileNestedTooDeeplyToCompile_refusesTheImport_namingIt() throws Exception {
    String error = pushRefused("chain.js", "class A {}\nvar x = 1" + "+1".repeat(50_000));
    assertThat(error)
        .startsWith("Bot.importGit failed: the git import was refused, nothing changed:")
        .contains("commands/chain.js: syntax error at line 1, column 1: nested too deeply");
  }

  /** README "Importing from git": a store that fails part-way is reported, and a new import ends it. */
  @Test
  void aStoreFailingPartWay_runsTheErrorCommand_andTheErrorLogSaysSo_andImportingAgainFinishes()
      throws Exception {
    setGit();
    archive.set(Zips.of(repository("after")));
    bot.command("/pull", "Bot.importGit({ branch: 'main', error: '/failed' });");
    bot.command("/failed", "Bot.sendMessage('import failed: ' + content);");
    writesBeforeFailing.set(2);

    bot.hit(bot.mint("{\"command\":\"/pull\",\"user_id\":\"1\"}"));
    bot.settleCalls();

    assertThat(bot.userMessages("1"))
        .anySatisfy(m -> assertThat(m).startsWith("import failed: the import stopped part-way"));
    assertThat(bot.lastError().get("message").asText())
        .startsWith("Bot.importGit failed: the import stopped part-way")
        .contains("import again to finish");

    writesBeforeFailing.set(-1);
    bot.hit(bot.mint("{\"command\":\"/pull\",\"user_id\":\"1\"}"));
    bot.settleCalls();

    assertThat(commandNames())
        .containsExactlyInAnyOrder(
            "@", "/on-git-push", "on-git-import-complete", "setup_admin_panels", "/setup",
            "💰 Balance");
  }

  @Test
  void aMissingBranch_isAnErrorNamingTheStatus_andRunsTheErrorCommand() throws Exception {
    setGit();
    bot.command(
        "/pull",
        "Bot.importGit({ branch: 'nope', success: 'done', error: '/failed' });");
    bot.command("/failed", "Bot.sendMessage('import failed: ' + content);");
    bot.hit(bot.mint("{\"command\":\"/pull\",\"user_id\":\"1\"}"));
    bot.settleCalls();

    assertThat(bot.userMessages("1")).containsExactly("import failed: the git archive's URL answered 404, not 200");
    assertThat(commandNames()).contains("/old");
  }

  @Test
  void withoutARepository_theCallFailsAtItsLine_andNothingIsQueued() throws Exception {
    HttpResponse r = push(bot.mint("{\"command\":\"/on-git-push\",\"user_id\":\"1\"}"));
    bot.settleCalls();

    assertThat(r.status()).isEqualTo(503);
    assertThat(bot.lastError().get("message").asText())
        .contains("Bot.importGit: the bot has no git repository")
        .contains("line 15");
    assertThat(server.received).isEmpty();
  }

  @Test
  void commandsReadTheRepositorySetting_butCannotChangeIt() throws Exception {
    setGit();
    bot.command(
        "/read", "Bot.sendMessage(Bot.getProperty('Git:repository').archive_url);");
    bot.command(
        "/hijack",
        "Bot.setProperty('Git:repository', { archive_url: 'https://evil.example/{branch}.zip' },"
            + " 'json');");
    bot.command("/forget", "Bot.deleteProp('Git:repository');");
    bot.command(
        "/quiet",
        "try { Bot.setProperty('Git:repository', { archive_url: 'https://evil.example/x.zip' },"
            + " 'json'); } catch (e) {} Bot.sendMessage('done');");

    assertThat(bot.answer(bot.mint("{\"command\":\"/read\",\"user_id\":\"1\"}")))
        .isEqualTo(server.url("/o/bot/archive/{branch}.zip"));
    assertThat(bot.hit(bot.mint("{\"command\":\"/hijack\",\"user_id\":\"1\"}")).status())
        .isEqualTo(503);
    assertThat(bot.lastError().get("message").asText())
        .contains("Git:repository is set by the bot's owner");
    assertThat(bot.hit(bot.mint("{\"command\":\"/forget\",\"user_id\":\"1\"}")).status())
        .isEqualTo(503);
    // A catch in the command does not hide it: the run fails all the same.
    assertThat(bot.hit(bot.mint("{\"command\":\"/quiet\",\"user_id\":\"1\"}")).status())
        .isEqualTo(503);
    assertThat(bot.lastError().get("message").asText())
        .contains("Git:repository is set by the bot's owner");
    assertThat(bot.get("/git").get("archive_url").asText())
        .isEqualTo(server.url("/o/bot/archive/{branch}.zip"));
  }

  @Test
  void theRepositorySetting_isReadBackAndRefusedWhenItNamesNoArchive() {
    assertThat(bot.call("GET", "/git", null, null).status()).isEqualTo(404);
    JsonNode set =
        bot.ok("PUT", "/git", "application/json",
            "{\"repository\":\"git@github.com:bots-business/BBInvestBot.git\",\"branch\":\"master\"}");
    assertThat(set.get("archive_url").asText())
        .isEqualTo("https://codeload.github.com/bots-business/BBInvestBot/zip/refs/heads/{branch}");
    assertThat(bot.get("/git")).isEqualTo(set);
    BotOwner.Reply refused =
        bot.call("PUT", "/git", "application/json", "{\"repository\":\"https://example.org/x\"}");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body()).contains("archive_url");
    assertThat(bot.call("DELETE", "/git", null, null).status()).isEqualTo(204);
    assertThat(bot.call("GET", "/git", null, null).status()).isEqualTo(404);
  }
}
