package dev.botwebhooks.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
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
  void rhinosClassesThere_areExactlyItsJars_butThePatchedOne() throws Exception {
    Path classes = location(Sandbox.class);
    Set<String> inJar = new HashSet<>();
    try (ZipFile jar = new ZipFile(rhinoJar().toFile())) {
      jar.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".class")).forEach(inJar::add);
    }
    Set<String> there;
    try (Stream<Path> files = Files.walk(classes.resolve("org/mozilla"))) {
      there =
          files
              .map(p -> classes.relativize(p).toString().replace('\\', '/'))
              .filter(n -> n.endsWith(".class"))
              .collect(Collectors.toSet());
    }

    Set<String> notInJar = new HashSet<>(there);
    notInJar.removeAll(inJar);
    Set<String> missing = new HashSet<>(inJar);
    missing.removeAll(there);
    assertThat(notInJar).isEmpty();
    assertThat(missing)
        .as("only module-info and the class src/rhino-patch replaces")
        .allMatch(n -> n.endsWith("module-info.class")
            || n.startsWith("org/mozilla/javascript/ConsString"));
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

  /** Rhino's own jar on the test class path: where the other copy of {@code Context} is. */
  private static Path rhinoJar() throws IOException, URISyntaxException {
    for (URL url : Collections.list(
        ClassLoader.getSystemClassLoader().getResources("org/mozilla/javascript/Context.class"))) {
      if (url.getProtocol().equals("jar")) {
        String file = url.getPath();
        return Path.of(new URI(file.substring(0, file.indexOf("!/"))));
      }
    }
    throw new IllegalStateException("Rhino's jar is not on the class path");
  }

  private static Path location(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
