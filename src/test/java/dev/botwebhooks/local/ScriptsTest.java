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
    return run(command, Map.of());
  }

  private Run run(List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("script", ".out");
    Path err = Files.createTempFile("script", ".err");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      builder.environment().put("TMPDIR", tmp.toString());
      builder.environment().putAll(env);
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

  @Test
  void theClassCache_isMadeByTheFirstRunOfAJar_thenUsed_andNeverWritesToStandardOutput()
      throws Exception {
    Path cache = tmp.resolve("cache");
    Path jar = tmp.resolve("probe.jar");
    Files.writeString(
        tmp.resolve("Probe.java"),
        "public class Probe { public static void main(String[] a) { System.out.println(\"probe\"); } }");
    String build =
        "source scripts/lib/java.sh && cd \"$1\" && javac -d classes Probe.java"
            + " && jar cf probe.jar -C classes .";
    assertThat(run(List.of("bash", "-c", build, "-", tmp.toString())).code()).isZero();
    List<String> probe =
        List.of(
            "bash", "-c", "source scripts/lib/java.sh && java_with_cache probe \"$1\" Probe", "-",
            jar.toString());
    Map<String, String> env = Map.of("JVM_CACHE_DIR", cache.toString());

    Run first = run(probe, env);
    List<Path> made = cacheFiles(cache);
    Run second = run(probe, env);

    assertThat(first.code()).isZero();
    assertThat(first.out()).isEqualTo("probe\n");
    assertThat(first.err()).contains("Making the JVM's class cache for probe");
    assertThat(made).hasSize(1);
    assertThat(second.code()).isZero();
    assertThat(second.out()).isEqualTo("probe\n");
    assertThat(second.err()).isEmpty();
    assertThat(cacheFiles(cache)).isEqualTo(made);

    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
    Run rebuilt = run(probe, env);
    assertThat(rebuilt.out()).isEqualTo("probe\n");
    assertThat(rebuilt.err()).as("a new jar, a new cache").contains("Making the JVM's class cache");
    assertThat(cacheFiles(cache)).hasSize(1).doesNotContainAnyElementsOf(made);

    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(120)));
    Run off = run(probe, Map.of("JVM_CACHE_DIR", cache.toString(), "JVM_CACHE", "off"));
    assertThat(off.out()).isEqualTo("probe\n");
    assertThat(off.err()).isEmpty();
    assertThat(cacheFiles(cache)).hasSize(1).doesNotContainAnyElementsOf(made);

    Path notADirectory = Files.writeString(tmp.resolve("not-a-directory"), "x");
    Run nowhere = run(probe, Map.of("JVM_CACHE_DIR", notADirectory.resolve("cache").toString()));
    assertThat(nowhere.code()).as("no place for a cache: runs without one").isZero();
    assertThat(nowhere.out()).isEqualTo("probe\n");
    assertThat(nowhere.err()).isEmpty();
  }

  private static List<Path> cacheFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }
}
