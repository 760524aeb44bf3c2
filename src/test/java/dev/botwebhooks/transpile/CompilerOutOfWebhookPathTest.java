package dev.botwebhooks.transpile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The webhook function never loads the Closure Compiler: a fresh JVM builds the handler as Lambda
 * does and answers a sample hit (as {@code scripts/invoke.sh} does) while listing every class it
 * loads, and none is the compiler's.
 */
class CompilerOutOfWebhookPathTest {
  @Test
  void aWebhookHitLoadsNoCompilerClass() throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                List.of(
                    java,
                    "-verbose:class",
                    "-cp",
                    System.getProperty("java.class.path"),
                    "dev.botwebhooks.local.Invoke",
                    "WebhookFunction",
                    "events/hit-get.json"))
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output).contains("\"statusCode\"").contains("dev.botwebhooks.lambda.WebhookFunction");
    assertThat(output).contains("org.mozilla.javascript.Context");
    assertThat(output.lines().filter(l -> l.contains("com.google.javascript")).toList()).isEmpty();
    assertThat(output.lines().filter(l -> l.contains("dev.botwebhooks.transpile")).toList())
        .isEmpty();
  }
}
