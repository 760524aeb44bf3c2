package dev.botwebhooks.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scripts behave like tools (README "Running locally"): {@code --help} prints the usage and
 * exits 0, bad arguments print it and exit 2, before any build or server starts, and nothing is
 * left in the temporary folder.
 */
class ScriptsTest {
  /** Arguments each script refuses. */
  private static final Map<String, List<String>> BAD_ARGUMENTS =
      Map.of(
          "bench.sh", List.of("many"),
          "import-bot.sh", List.of(),
          "invoke.sh", List.of("NoSuchFunction", "events/hit-get.json"),
          "run-local.sh", List.of("--port", "http"),
          "soak.sh", List.of("1", "2"));

  @TempDir Path tmp;

  private record Run(int code, String out, String err) {}

  private Run run(List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("script", ".out");
    Path err = Files.createTempFile("script", ".err");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      builder.environment().put("TMPDIR", tmp.toString());
      Process process = builder.start();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(command + " ends").isTrue();
      return new Run(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.delete(out);
      Files.delete(err);
    }
  }

  private static List<String> scripts() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("scripts"))) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sh")).sorted()
          .toList();
    }
  }

  @Test
  void everyScript_answersHelpWithUsageAndExit0() throws Exception {
    assertThat(scripts()).containsExactlyInAnyOrderElementsOf(BAD_ARGUMENTS.keySet());
    for (String script : scripts()) {
      Run help = run(List.of("bash", "scripts/" + script, "--help"));

      assertThat(help.code()).as(script + " --help").isZero();
      assertThat(help.out()).as(script).startsWith("usage: scripts/" + script);
      assertThat(help.out()).as(script + " names what it needs").contains("Needs:");
    }
    assertThat(tmp).isEmptyDirectory();
  }

  @Test
  void everyScript_refusesBadArgumentsWithUsageAndExit2() throws Exception {
    for (String script : scripts()) {
      List<String> command = new ArrayList<>(List.of("bash", "scripts/" + script));
      command.addAll(BAD_ARGUMENTS.get(script));

      Run bad = run(command);

      assertThat(bad.code()).as(script + " " + BAD_ARGUMENTS.get(script)).isEqualTo(2);
      assertThat(bad.err()).as(script).contains("usage: scripts/" + script);
      assertThat(bad.out()).as(script).isEmpty();
    }
    assertThat(tmp).isEmptyDirectory();
  }

  @Test
  void theJar_isRebuiltWhenMissingOrOlderThanTheSources() throws Exception {
    Path jar = tmp.resolve("bot-webhooks.jar");
    List<String> check =
        List.of("bash", "-c", "source scripts/lib/cli.sh && jar_is_stale \"$1\"", "-", jar.toString());

    assertThat(run(check).code()).as("missing").isZero();
    Files.writeString(jar, "jar");
    Files.setLastModifiedTime(jar, FileTime.from(Instant.EPOCH));
    assertThat(run(check).code()).as("older than the sources").isZero();
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(3600)));
    assertThat(run(check).code()).as("newer than every source").isEqualTo(1);
  }
}
