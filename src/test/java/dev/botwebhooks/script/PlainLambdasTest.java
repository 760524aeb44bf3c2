package dev.botwebhooks.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.NativeArray;

/**
 * The build's {@code PlainLambdas} step (src/build, README "Performance"): Rhino's classes are
 * taken from the project's own compiled classes, where no serializable lambda is left, so that a
 * class cache can keep the classes of Rhino's built-in functions.
 */
class PlainLambdasTest {
  @Test
  void rhino_isLoadedFromTheProjectsClasses() throws URISyntaxException {
    Path project = location(Sandbox.class);

    assertThat(location(Context.class)).isEqualTo(project);
    assertThat(location(NativeArray.class)).isEqualTo(project);
  }

  @Test
  void noClassTheServiceRuns_hasASerializableLambda() throws Exception {
    List<Path> classes;
    try (Stream<Path> files = Files.walk(location(Sandbox.class))) {
      classes = files.filter(p -> p.toString().endsWith(".class")).toList();
    }
    List<Path> withAltMetafactory =
        classes.stream().filter(PlainLambdasTest::callsAltMetafactory).toList();

    assertThat(classes)
        .as("Rhino's classes and the project's")
        .hasSizeGreaterThan(1_000)
        .contains(location(Sandbox.class).resolve("org/mozilla/javascript/NativeArray.class"));
    assertThat(withAltMetafactory).isEmpty();
  }

  @Test
  void builtInFunctions_stillWork() {
    Context cx = Context.enter();
    try {
      cx.setInterpretedMode(true);
      Object result =
          cx.evaluateString(
              cx.initSafeStandardObjects(),
              "[3, 1, 2].sort().map(x => x * 2).join('-') + ' ' + 'abc'.toUpperCase()"
                  + " + ' ' + Object.keys({a: 1, b: 2}) + ' ' + JSON.stringify(new Map([[1, 2]]).size)",
              "test",
              1,
              null);
      assertThat(Context.toString(result)).isEqualTo("2-4-6 ABC a,b 1");
    } finally {
      Context.exit();
    }
  }

  private static boolean callsAltMetafactory(Path classFile) {
    try {
      return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1)
          .contains("altMetafactory");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Path location(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
