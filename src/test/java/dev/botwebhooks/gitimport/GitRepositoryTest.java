package dev.botwebhooks.gitimport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botwebhooks.core.InvalidRequestException;
import dev.botwebhooks.json.Json;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GitRepositoryTest {
  private static GitRepository of(String json) {
    try {
      return GitRepository.fromJson(Json.MAPPER.readTree(json));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://github.com/bots-business/BBInvestBot",
        "https://github.com/bots-business/BBInvestBot.git",
        "https://github.com/bots-business/BBInvestBot/",
        "git@github.com:bots-business/BBInvestBot.git",
        "ssh://git@github.com/bots-business/BBInvestBot.git"
      })
  void aGithubRepository_inEveryFormGitTakes_isItsCodeloadZip(String repository) {
    GitRepository git = of("{\"repository\":\"" + repository + "\",\"branch\":\"master\"}");
    assertThat(git.archiveUrlFor(Optional.empty()))
        .isEqualTo(
            "https://codeload.github.com/bots-business/BBInvestBot/zip/refs/heads/master");
    assertThat(git.archiveUrlFor(Optional.of("feature/new-menu")))
        .isEqualTo(
            "https://codeload.github.com/bots-business/BBInvestBot/zip/refs/heads/feature/new-menu");
  }

  @Test
  void anArchiveUrl_takesTheBranchWhereItSays_andTheDefaultBranchIsMain() {
    GitRepository git = of("{\"archive_url\":\"https://git.example.org/o/r/archive/{branch}.zip\"}");
    assertThat(git.archiveUrlFor(Optional.empty()))
        .isEqualTo("https://git.example.org/o/r/archive/main.zip");
    assertThat(of(git.toJson().toString())).isEqualTo(git);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "[]",
        "{\"repository\":\"https://gitlab.com/o/r\"}",
        "{\"repository\":\"https://github.com/o\"}",
        "{\"repository\":\"https://github.com/o/..\"}",
        "{\"repository\":\"https://github.com/o/.\"}",
        "{\"repository\":\"https://github.com/../r\"}",
        "{\"repository\":42}",
        "{\"archive_url\":\"ftp://h/{branch}.zip\"}",
        "{\"archive_url\":\"https://h/fixed.zip\"}",
        "{\"archive_url\":\"/relative/{branch}.zip\"}",
        "{\"repository\":\"https://github.com/o/r\",\"branch\":\"../x\"}",
        "{\"repository\":\"https://github.com/o/r\",\"branch\":\"-x\"}",
        "{\"repository\":\"https://github.com/o/r\",\"branch\":\"a b\"}"
      })
  void aSettingThatNamesNoArchive_isRefusedSayingWhichField(String json) {
    assertThatThrownBy(() -> of(json))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageMatching(".*(repository|archive_url|branch|JSON object).*");
  }

  @ParameterizedTest
  @ValueSource(strings = {"..", "a/../b", "/main", "main/", "a//b", "a?b", "a#b", "%2e%2e"})
  void aBranchGitWouldNotName_isRefused_neverPutIntoTheUrl(String branch) {
    GitRepository git = of("{\"repository\":\"https://github.com/o/r\"}");
    assertThatThrownBy(() -> git.archiveUrlFor(Optional.of(branch)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("branch must be");
  }
}
