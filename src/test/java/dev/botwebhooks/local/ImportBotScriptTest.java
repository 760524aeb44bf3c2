package dev.botwebhooks.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.lambda.LocalRuntime;
import dev.botwebhooks.wiring.Deployment;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/import-bot.sh} on an export-shaped bot ({@code src/test/resources/bb-export})
 * against the local server: it uploads what it can (WebApp templates as text), skips the built-in
 * library with a note, reports each refused file with its reason and exits 1 for them, and a
 * second run updates the same bot and changes nothing; the imported bot then runs.
 */
class ImportBotScriptTest {
  private static final String ADMIN_KEY = "import-test-admin-key-0123456789";

  @TempDir Path tmp;
  private LocalServer server;
  private final HttpClient client = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private record Run(int code, String out, String err) {}

  private Run importBot(Path folder) throws IOException, InterruptedException {
    Path out = tmp.resolve("out.txt");
    Path err = tmp.resolve("err.txt");
    ProcessBuilder builder =
        new ProcessBuilder("bash", "scripts/import-bot.sh", folder.toString())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder.environment().put("API_URL", server.baseUrl());
    builder.environment().put("ADMIN_KEY", ADMIN_KEY);
    builder.environment().put("TMPDIR", tmp.toString());
    Process process = builder.start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  private JsonNode get(String path, String key) throws IOException, InterruptedException {
    var response =
        client.send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Authorization", "Bearer " + key)
                .build(),
            BodyHandlers.ofString());
    return Json.parse(response.body());
  }

  private JsonNode post(String path, String key, String body)
      throws IOException, InterruptedException {
    var response =
        client.send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(body))
                .build(),
            BodyHandlers.ofString());
    return Json.parse(response.body());
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  @Test
  void importsEveryFileItCanReportsTheRestAndARerunChangesNothing() throws Exception {
    Deployment deployment =
        Deployment.local(Settings.from(Map.of(Settings.Env.ADMIN_KEY, ADMIN_KEY)));
    server =
        LocalServer.start(
            LocalRuntime.of(
                deployment.webhooks(), deployment.hitService()::runDueRuns, deployment.botApi()),
            0,
            false);
    Path folder = tmp.resolve("export");
    copy(Path.of("src/test/resources/bb-export"), folder);

    Run first = importBot(folder);
    assertThat(first.code()).as(first.out() + first.err()).isEqualTo(1);
    assertThat(first.out())
        .contains("Created bot ")
        .contains("skipped libs/Webhooks.js: the Webhooks library is built in")
        .contains("  template index.html")
        .contains("  template styles.css")
        .contains("  command /addkeyboard")
        .contains("  library Sha")
        .contains("11 uploaded, 0 unchanged, 1 skipped, 3 refused.");
    assertThat(first.err())
        .contains("REFUSED command /broken (commands/broken.js): 400 syntax error at line 12, column 13")
        .contains("REFUSED command /clash (commands/clash.js): 409 alias 'good morning'")
        .contains("REFUSED library bad-name (libs/bad-name.js): 400 library name");
    JsonNode marker = Json.parse(Files.readString(folder.resolve(".bot-webhooks.json")));
    String botId = marker.get("bot_id").asText();
    String key = marker.get("api_key").asText();
    JsonNode commands = get("/bots/" + botId + "/commands", key).get("items");
    List<String> names = commands.findValuesAsText("name");
    assertThat(names)
        .containsExactlyInAnyOrder("/addkeyboard", "/help", "/start", "@", "index.html",
            "onPayment", "renderHome", "styles.css", "💰 Balance");

    Run second = importBot(folder);
    assertThat(second.code()).isEqualTo(1);
    assertThat(second.out())
        .contains("Updating bot " + botId)
        .contains("0 uploaded, 11 unchanged, 1 skipped, 3 refused.");
    assertThat(get("/bots/" + botId + "/commands", key).get("items")).isEqualTo(commands);

    // The imported bot runs: a payment keyed by user id, then the balance through the
    // transpiled class of @, reached by an alias with a space.
    String pay = post("/bots/" + botId + "/webhooks", key, "{\"command\":\"onPayment\"}")
        .get("url").asText();
    var paid =
        client.send(
            HttpRequest.newBuilder(URI.create(pay))
                .POST(BodyPublishers.ofString("{\"user_id\":7,\"amount\":5}"))
                .build(),
            BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertThat(paid.body()).isEqualTo("{\"answer\":\"credited 7\"}");
    String balance =
        post("/bots/" + botId + "/webhooks", key, "{\"command\":\"good morning\",\"user_id\":7}")
            .get("url").asText();
    var shown =
        client.send(HttpRequest.newBuilder(URI.create(balance)).build(), BodyHandlers.ofString());
    assertThat(shown.body()).isEqualTo("{\"answer\":\"Balance 5\"}");

    // The WebApp page from its template, and let used as a variable beside a library that
    // publishes nothing.
    String home = post("/bots/" + botId + "/webhooks", key, "{\"command\":\"renderHome\"}")
        .get("url").asText();
    var page = client.send(HttpRequest.newBuilder(URI.create(home)).build(), BodyHandlers.ofString());
    assertThat(page.body())
        .startsWith("<!DOCTYPE html>")
        .contains("<h1>Hello from Import fixture bot</h1>")
        .contains("href=\"" + server.baseUrl() + "/hooks/");
    String add = post("/bots/" + botId + "/webhooks", key, "{\"command\":\"/addkeyboard x\"}")
        .get("url").asText();
    var added = client.send(HttpRequest.newBuilder(URI.create(add)).build(), BodyHandlers.ofString());
    assertThat(added.body()).isEqualTo("{\"answer\":\"x\"}");
  }
}
