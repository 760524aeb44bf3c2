package dev.botwebhooks.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a webhook function's cold start loads (README "Performance"): a fresh JVM builds the
 * handler as Lambda does and answers a sample hit (as {@code scripts/invoke.sh} does) while listing
 * every class it loads. Nothing that only the bot API or the outbound-call function needs is among
 * them.
 */
class WebhookColdStartClassesTest {
  private static List<String> loaded;

  @BeforeAll
  static void coldStart() throws IOException, InterruptedException {
    Process p =
        InvokeProcess.webhookFunction("events/hit-get.json")
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output).contains("\"statusCode\":200");
    loaded = output.lines().filter(l -> l.startsWith("[")).toList();
    assertThat(loaded)
        .anyMatch(l -> l.contains("dev.botwebhooks.lambda.WebhookFunction "))
        .anyMatch(l -> l.contains("org.mozilla.javascript.Context "));
  }

  private static List<String> loadedMatching(String part) {
    return loaded.stream().filter(l -> l.contains(part)).toList();
  }

  @Test
  void noClassOfTheClosureCompilerNorOfTheTranspiler() {
    assertThat(loadedMatching("com.google.javascript")).isEmpty();
    assertThat(loadedMatching("dev.botwebhooks.transpile")).isEmpty();
  }

  /** Outbound calls are made by their own function; a hit only queues them. */
  @Test
  void noOutboundClientNorTls() {
    assertThat(loadedMatching("dev.botwebhooks.egress.EgressClient")).isEmpty();
    assertThat(loadedMatching("sun.security.ssl.SSLContextImpl")).isEmpty();
  }

  /**
   * The sandbox removes the typed arrays before Rhino caches the built-ins, so their constructors
   * (whose methods would each be a class of their own) are never built.
   */
  @Test
  void noTypedArrayConstructorBuilt() {
    assertThat(loadedMatching("org.mozilla.javascript.typedarrays.")
            .stream()
            .filter(l -> l.contains("$$Lambda"))
            .toList())
        .isEmpty();
  }
}
