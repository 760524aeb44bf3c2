package dev.botwebhooks.lambda;

import java.nio.file.Path;
import java.util.List;

/**
 * A cold start in a fresh JVM, as {@code scripts/invoke.sh} makes it: {@code Invoke} with one
 * function and event, on the tests' class path, listing every class it loads.
 */
final class InvokeProcess {
  private InvokeProcess() {}

  static ProcessBuilder webhookFunction(String event) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
        List.of(
            java,
            "-verbose:class",
            "-cp",
            System.getProperty("java.class.path"),
            "dev.botwebhooks.local.Invoke",
            "WebhookFunction",
            event));
  }
}
