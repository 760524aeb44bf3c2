package dev.botwebhooks.local;

import dev.botwebhooks.lambda.FunctionName;
import dev.botwebhooks.lambda.LocalRuntime;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * {@code Invoke <WebhookFunction|BotApiFunction> <event.json>}: one event through one handler,
 * built by its no-arg constructor as Lambda builds it (on the local store), like {@code sam local
 * invoke -e}. Prints the response event; the init and invoke times go to standard error.
 */
public final class Invoke {
  static final String SEED_FILE = "seed.json";

  private Invoke() {}

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    System.out.flush();
    System.exit(code);
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    String names =
        Arrays.stream(FunctionName.values())
            .map(FunctionName::logicalId)
            .collect(Collectors.joining("|"));
    if (args.length != 2) {
      err.println("usage: invoke.sh <" + names + "> <event.json>");
      return 2;
    }
    Optional<FunctionName> function = FunctionName.byLogicalId(args[0]);
    if (function.isEmpty()) {
      err.println("unknown function '" + args[0] + "'; one of " + names);
      return 2;
    }
    byte[] event;
    try {
      event = Files.readAllBytes(Path.of(args[1]));
    } catch (NoSuchFileException e) {
      err.println("no such event file: " + args[1]);
      return 2;
    } catch (IOException e) {
      err.println("cannot read " + args[1] + ": " + e.getMessage());
      return 2;
    }
    Optional<Path> seed = seedFor(Path.of(args[1]));
    seed.ifPresent(s -> err.println("The embedded store is seeded from " + s + "."));
    long start = System.nanoTime();
    LocalRuntime runtime;
    try {
      runtime = LocalRuntime.coldStart(function.get(), seed);
    } catch (RuntimeException e) {
      err.println("error: " + StartupProblem.describe(e));
      return StartupProblem.isSetting(e) ? 2 : 1;
    }
    long initialized = System.nanoTime();
    byte[] response;
    try {
      response = runtime.invoke(function.get(), event, UUID.randomUUID().toString());
    } catch (IOException e) {
      err.println("the function failed to write its response: " + e.getMessage());
      return 1;
    }
    long done = System.nanoTime();
    out.println(new String(response, StandardCharsets.UTF_8));
    err.printf(
        "REPORT %s init: %d ms, invoke: %d ms%n",
        function.get().logicalId(),
        (initialized - start) / 1_000_000,
        (done - initialized) / 1_000_000);
    return 0;
  }

  /**
   * The {@code seed.json} beside the event (what the sample events refer to), used on the embedded
   * store only: with {@code DYNAMODB_ENDPOINT} set, the table holds what it holds.
   */
  private static Optional<Path> seedFor(Path event) {
    String endpoint = System.getenv("DYNAMODB_ENDPOINT");
    if (endpoint != null && !endpoint.isBlank()) {
      return Optional.empty();
    }
    Path folder = event.toAbsolutePath().getParent();
    Path seed = folder == null ? null : folder.resolve(SEED_FILE);
    return seed != null && Files.isRegularFile(seed) && !seed.equals(event.toAbsolutePath())
        ? Optional.of(event.getParent() == null ? Path.of(SEED_FILE) : event.getParent().resolve(SEED_FILE))
        : Optional.empty();
  }
}
