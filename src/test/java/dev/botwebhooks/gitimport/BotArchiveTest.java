package dev.botwebhooks.gitimport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botwebhooks.core.InvalidRequestException;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

class BotArchiveTest {
  @Test
  void aGithubArchive_isReadUnderItsTopFolder_onlyCommandsAndLibs() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("BBInvestBot-master/README.md", "# readme");
    files.put("BBInvestBot-master/bot.json", "{\"name\":\"x\"}");
    files.put("BBInvestBot-master/commands/_start.js", "Bot.sendMessage('hi')");
    files.put("BBInvestBot-master/commands/GitSync/_on-git-push.js", "Bot.importGit({})");
    files.put("BBInvestBot-master/commands/notes.txt", "not code");
    files.put("BBInvestBot-master/libs/Base.js", "publish({})");
    files.put("BBInvestBot-master/libs/old/Nested.js", "publish({})");
    files.put("BBInvestBot-master/scripts/tool.js", "not a command");

    BotArchive archive = BotArchive.read(Zips.of(files));

    assertThat(archive.commands()).containsOnlyKeys("_start.js", "GitSync/_on-git-push.js");
    assertThat(archive.commands().get("_start.js")).isEqualTo("Bot.sendMessage('hi')");
    assertThat(archive.libraries()).containsOnlyKeys("Base");
  }

  @Test
  void anArchiveWithCommandsAtItsRoot_isReadAsItIs() {
    BotArchive archive =
        BotArchive.read(Zips.of(Map.of("commands/a.js", "1", "libs/L.js", "2")));
    assertThat(archive.commands()).containsOnlyKeys("a.js");
    assertThat(archive.libraries()).containsOnlyKeys("L");
  }

  @Test
  void pathsWithDotSegments_areNotCommands() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("commands/ok.js", "1");
    files.put("commands/../evil.js", "2");
    files.put("commands/./x.js", "3");
    assertThat(BotArchive.read(Zips.of(files)).commands()).containsOnlyKeys("ok.js");
  }

  @Test
  void whatIsNotABotArchive_isRefusedSayingWhy() {
    assertThatThrownBy(() -> BotArchive.read("<html>Not Found</html>".getBytes()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("not a zip archive");
    assertThatThrownBy(() -> BotArchive.read(Zips.of(Map.of("repo/README.md", "# hi"))))
        .hasMessageContaining("no commands/ folder");
  }

  @Test
  void aFileThatIsNotUtf8_isRefusedByName() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("commands/latin1.js"));
      zip.write(new byte[] {'a', (byte) 0xE9, 'b'});
      zip.closeEntry();
    }
    assertThatThrownBy(() -> BotArchive.read(out.toByteArray()))
        .hasMessageContaining("commands/latin1.js is not UTF-8 text");
  }

  @Test
  void aFileThatInflatesPastItsLimit_isRefused_whateverSizeItsEntryClaims() throws Exception {
    String big = "x".repeat(BotArchive.MAX_FILE_BYTES + 1);
    assertThatThrownBy(() -> BotArchive.read(Zips.of(Map.of("commands/big.js", big))))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("commands/big.js inflates to more than");
  }

  @Test
  void filesThatTogetherInflatePastTheTotal_areRefused() {
    Map<String, String> files = new LinkedHashMap<>();
    String part = "y".repeat(BotArchive.MAX_FILE_BYTES);
    for (int i = 0; i <= BotArchive.MAX_TOTAL_BYTES / BotArchive.MAX_FILE_BYTES; i++) {
      files.put("commands/c" + i + ".js", part);
    }
    assertThatThrownBy(() -> BotArchive.read(Zips.of(files)))
        .hasMessageContaining("inflate to more than " + BotArchive.MAX_TOTAL_BYTES);
  }

  /** README "Importing from git": nothing outside commands/ and libs/ is read. */
  @Test
  void largeFilesThatAreNotRead_doNotCountAgainstTheFileLimits() {
    String bundle = "z".repeat(BotArchive.MAX_FILE_BYTES * 2);
    BotArchive archive =
        BotArchive.read(
            Zips.of(
                Map.of(
                    "repo-main/commands/start.js", "Bot.sendMessage('hi')",
                    "repo-main/webapp/dist/bundle.js", bundle,
                    "repo-main/node_modules/x/index.js", bundle)));
    assertThat(archive.commands()).containsOnlyKeys("start.js");
  }

  /** A zip bomb among the entries that are not read: inflated to get past it, so it counts. */
  @Test
  void anArchiveThatInflatesPastItsWholeLimit_isRefused() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("commands/start.js"));
      zip.write("Bot.sendMessage('hi')".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry("README.md"));
      byte[] zeros = new byte[1 << 20];
      for (long i = 0; i <= BotArchive.MAX_INFLATED_BYTES >> 20; i++) {
        zip.write(zeros);
      }
      zip.closeEntry();
    }
    assertThat(out.size()).isLessThan(1 << 20);
    assertThatThrownBy(() -> BotArchive.read(out.toByteArray()))
        .hasMessageContaining("inflates to more than " + BotArchive.MAX_INFLATED_BYTES);
  }

  @Test
  void tooManyEntries_areRefused() {
    Map<String, String> files = new LinkedHashMap<>();
    for (int i = 0; i <= BotArchive.MAX_ENTRIES; i++) {
      files.put("commands/e" + i + ".txt", "");
    }
    assertThatThrownBy(() -> BotArchive.read(Zips.of(files)))
        .hasMessageContaining("more than " + BotArchive.MAX_ENTRIES + " entries");
  }

  @Test
  void textIsReadAsUtf8() {
    BotArchive archive =
        BotArchive.read(Zips.of(Map.of("commands/Menu/💰 Balance.js", "Bot.sendMessage('💰')")));
    assertThat(archive.commands().get("Menu/💰 Balance.js")).isEqualTo("Bot.sendMessage('💰')");
  }
}
