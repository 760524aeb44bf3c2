package dev.botwebhooks.lambda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads the sample events of {@code events/} (the files {@code sam local invoke -e} takes), as
 * aws-lambda-java-tests' EventLoader does; tests run from the project root.
 */
public final class SampleEvents {
  public static final Path FOLDER = Path.of("events");

  private SampleEvents() {}

  public static byte[] bytes(String name) {
    try {
      return Files.readAllBytes(FOLDER.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException("sample event " + name + " not found in " + FOLDER, e);
    }
  }
}
