package dev.botwebhooks.gitimport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botwebhooks.core.Bot;
import dev.botwebhooks.core.BotCode;
import dev.botwebhooks.core.Command;
import dev.botwebhooks.core.InvalidRequestException;
import dev.botwebhooks.core.Library;
import dev.botwebhooks.store.MemoryStore;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The import's rules on the in-memory store; the DynamoDB store is covered end to end. */
class GitImportTest {
  private MemoryStore store;

  @BeforeEach
  void setUp() {
    store = new MemoryStore();
    store.createBot(new Bot("b1", "Bot", "h", 0, Instant.EPOCH));
    store.putCommand("b1", "/old", List.of(), "Bot.sendMessage('old')");
    store.putCommand("b1", "/start", List.of(), "Bot.sendMessage('before')");
    store.putLibrary("b1", "Gone", "publish({})");
  }

  private static Map<String, String> bot() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("commands/_start.js", "Bot.sendMessage('hi')");
    files.put(
        "commands/Menu/💰 Balance.js",
        "/*CMD\n  command: 💰 Balance\n  aliases: balance, /bal\nCMD*/\nBot.sendMessage('0')");
    files.put("commands/@.js", "class A { hi() { return 1 } }\nvar a = new A();");
    files.put("commands/index.html.js", "<p><%= title %></p>");
    files.put("libs/Base.js", "publish({ one: function() { return 1 } })");
    files.put("libs/Webhooks.js", "/* the bundled copy */");
    return files;
  }

  private GitImport.Summary importFiles(Map<String, String> files) {
    return GitImport.apply(store, "b1", BotArchive.read(Zips.of(files)));
  }

  @Test
  void theArchiveReplacesTheBotsCode_asBotsBusinessDoes() {
    GitImport.Summary summary = importFiles(bot());

    BotCode code = store.code("b1");
    assertThat(code.commands())
        .extracting(Command::name)
        .containsExactlyInAnyOrder("/start", "💰 Balance", "@", "index.html");
    assertThat(code.command("/bal")).map(Command::name).contains("💰 Balance");
    assertThat(code.command("@").orElseThrow().runnable()).as("class transpiled").isPresent();
    assertThat(code.command("index.html").orElseThrow().runnable()).as("template").isEmpty();
    assertThat(code.libraries()).extracting(Library::name).containsExactly("Base");
    assertThat(summary)
        .isEqualTo(
            new GitImport.Summary(
                5, 0, 2, List.of("libs/Webhooks.js: the Webhooks library is built in")));
  }

  @Test
  void importingTheSameArchiveAgain_writesNothing() {
    importFiles(bot());
    long version = store.code("b1").version();

    GitImport.Summary again = importFiles(bot());

    assertThat(again.written()).isZero();
    assertThat(again.unchanged()).isEqualTo(5);
    assertThat(again.deleted()).isZero();
    assertThat(store.code("b1").version()).isEqualTo(version);
  }

  @Test
  void oneBadFile_refusesTheWholeImport_namingEveryBadFile_andChangesNothing() {
    BotCode before = store.code("b1");
    Map<String, String> files = bot();
    files.put("commands/broken.js", "Bot.sendMessage('x'\n");
    files.put("commands/Other/clash.js", "/*CMD\n  command: other\n  aliases: balance\nCMD*/\n1");
    files.put("libs/bad-name.js", "publish({})");

    assertThatThrownBy(() -> importFiles(files))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("nothing changed")
        .hasMessageContaining("commands/broken.js: syntax error at line ")
        .hasMessageContaining(
            "commands/Other/clash.js: 'balance' is already the name or an alias of commands/Menu/")
        .hasMessageContaining("libs/bad-name.js: library name must match");
    assertThat(store.code("b1")).isEqualTo(before);
  }

  @Test
  void aFileWithoutHeader_isNamedByItsFile_whereALeadingUnderscoreIsASlash() {
    assertThat(GitImport.commandName("Admin/_setup.js", "Bot.runCommand('x')"))
        .isEqualTo("/setup");
    assertThat(GitImport.commandName("on-git-import-complete.js", "1"))
        .isEqualTo("on-git-import-complete");
    assertThat(GitImport.commandName("GitSync/_on-git-push.js", "/*CMD\n command: /on-git-push\nCMD*/"))
        .isEqualTo("/on-git-push");
  }
}
