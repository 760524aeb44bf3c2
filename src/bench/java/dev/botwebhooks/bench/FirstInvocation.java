package dev.botwebhooks.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.lambda.FunctionName;
import dev.botwebhooks.lambda.LocalRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * One event through a handler built as Lambda builds it (as {@code scripts/invoke.sh} does, on
 * the embedded store seeded from the {@code seed.json} beside the event): the init, the first
 * invocation after it, and then the same event many times, for the first invocation's ratio to a
 * warm one. Prints one JSON object.
 *
 * <p>Usage: {@code FirstInvocation <function> <event.json> <warm invocations>}
 */
public final class FirstInvocation {
  private FirstInvocation() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: FirstInvocation <function> <event.json> <warm invocations>");
      System.exit(2);
    }
    FunctionName function = FunctionName.byLogicalId(args[0]).orElseThrow();
    Path eventFile = Path.of(args[1]);
    byte[] event = Files.readAllBytes(eventFile);
    Path seed = eventFile.resolveSibling("seed.json");
    int warm = Integer.parseInt(args[2]);
    java.io.PrintStream out = System.out;
    System.setErr(new java.io.PrintStream(java.io.PrintStream.nullOutputStream()));

    long start = System.nanoTime();
    LocalRuntime runtime =
        LocalRuntime.coldStart(function, Files.exists(seed) ? Optional.of(seed) : Optional.empty());
    long initialized = System.nanoTime();
    runtime.invoke(function, event, "first");
    long first = System.nanoTime() - initialized;
    long[] times = new long[warm];
    for (int i = 0; i < warm; i++) {
      long t = System.nanoTime();
      runtime.invoke(function, event, "warm-" + i);
      times[i] = System.nanoTime() - t;
    }
    Arrays.sort(times);
    ObjectNode result = Json.object();
    result.put("init_ms", (initialized - start) / 1e6);
    result.put("first_invocation_ms", first / 1e6);
    result.put("warm_p50_ms", times[warm / 2] / 1e6);
    result.put("first_over_warm_p50", first / (double) times[warm / 2]);
    out.println(Json.write(result));
    System.exit(0);
  }
}
