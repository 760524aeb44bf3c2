package dev.botwebhooks.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.Bot;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.MintRequest;
import dev.botwebhooks.core.Minter;
import dev.botwebhooks.http.Headers;
import dev.botwebhooks.http.HttpRequest;
import dev.botwebhooks.oplog.OperatorLog;
import dev.botwebhooks.script.RhinoScriptRuntime;
import dev.botwebhooks.store.MemoryStore;
import dev.botwebhooks.webhook.HitService;
import dev.botwebhooks.webhook.WebhookEndpoint;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Warm hits load no classes (README "Performance"): after a warm-up, further hits of the
 * benchmark's reference command, through the whole hit path on the embedded store with its log
 * line written to a print stream, leave the JVM's count of loaded classes where it was. Enough
 * hits for the optimizing compiler to compile the hit path's hottest methods, which loads the
 * classes their signatures name.
 */
class WarmHitClassLoadingTest {
  private static final Path REFERENCE = Path.of("scripts", "bench-reference");
  private static final int WARM_UP = 1_000;
  private static final int HITS = 5_000;
  private static final String BOT = "classes-bot";

  @Test
  void warmHits_referenceCommand_loadNoNewClasses() throws Exception {
    Clock clock = Clock.systemUTC();
    IdGenerator ids = IdGenerator.secure();
    Settings settings =
        Settings.from(Map.of(Settings.Env.RATE_LIMIT_PER_MINUTE, "100000000"));
    MemoryStore store = new MemoryStore();
    Minter minter = new Minter(store, ids, clock);
    store.createBot(new Bot(BOT, "Classes bot", "hash", 0, clock.instant()));
    store.putCommand(
        BOT, "/onPaid", List.of(), Files.readString(REFERENCE.resolve("reference-command.js")));
    String hookId =
        minter
            .mint(BOT, MintRequest.forUser("/onPaid", "42"), "https://api.example.com")
            .webhook()
            .id();
    PrintStream dropped =
        new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
    WebhookEndpoint endpoint =
        new WebhookEndpoint(
            new HitService(
                store, new RhinoScriptRuntime(settings.limits(), clock), minter, ids, clock,
                settings),
            settings,
            new OperatorLog(OperatorLog.WEBHOOK_FUNCTION, dropped::println, clock));
    HttpRequest hit =
        new HttpRequest(
            "POST", "/hooks/" + hookId, "", Map.of(),
            Headers.builder().add("Content-Type", "application/json").build(),
            Files.readAllBytes(REFERENCE.resolve("reference-content.json")),
            "198.51.100.3", "r", "https://api.example.com");
    ClassLoadingMXBean loading = ManagementFactory.getClassLoadingMXBean();
    int failed = 0;
    for (int i = 0; i < WARM_UP; i++) {
      failed += endpoint.handle(hit).status() == 200 ? 0 : 1;
    }

    long before = loading.getTotalLoadedClassCount();
    for (int i = 0; i < HITS; i++) {
      failed += endpoint.handle(hit).status() == 200 ? 0 : 1;
    }
    long added = loading.getTotalLoadedClassCount() - before;

    assertThat(failed).isZero();
    assertThat(added).as("classes loaded during %d warm hits", HITS).isZero();
  }
}
