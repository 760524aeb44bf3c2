package dev.botwebhooks.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.PropertyKey;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.lambda.LocalRuntime;
import dev.botwebhooks.local.LocalServer;
import dev.botwebhooks.store.MemoryStore;
import dev.botwebhooks.wiring.Deployment;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console in a real browser (README "The web console"): headless Chromium, driven through
 * ChromeDriver, against the local server. Loads the console, opens a bot with its key, mints a
 * hook, hits it, finds the hit in the request log, runs a dry replay and reads the diff; then a
 * committed replay. Screenshots of the main views go to {@code target/console-screenshots}.
 *
 * <p>Needs Debian's {@code chromium} and {@code chromium-driver} ({@code .ci/run} installs them);
 * {@code CHROMIUM} and {@code CHROMEDRIVER} name other binaries.
 */
class ConsoleBrowserTest {
  private static final String ADMIN_KEY = "console-admin-key-5d1f7a";
  private static final Path SHOTS = Paths.get("target", "console-screenshots");
  private static final String PAY =
      String.join(
          "\n",
          "var order = JSON.parse(content);",
          "var balance = User.getProperty('balance', 0) + order.amount;",
          "User.setProperty('balance', balance, 'integer');",
          "Bot.sendMessage('credited ' + order.amount + ', balance ' + balance);");

  private final HttpClient http = HttpClient.newHttpClient();
  private final MemoryStore store = new MemoryStore();
  private LocalServer server;
  private String base;

  @BeforeEach
  void serve() throws IOException {
    Deployment deployment =
        new Deployment(
            Settings.from(
                Map.of(
                    Settings.Env.ADMIN_KEY, ADMIN_KEY,
                    Settings.Env.RATE_LIMIT_PER_MINUTE, "100000")),
            store,
            IdGenerator.secure(),
            Clock.systemUTC());
    server =
        LocalServer.start(
            LocalRuntime.of(
                deployment.webhooks(), deployment.hitService()::runDueRuns, deployment.botApi()),
            0,
            false);
    base = server.baseUrl();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static Path binary(String variable, String fallback) {
    Path path = Paths.get(Optional.ofNullable(System.getenv(variable)).orElse(fallback));
    assertThat(Files.isExecutable(path))
        .as(
            "%s is missing: install Debian's chromium and chromium-driver "
                + "(apt-get install -y chromium chromium-driver; .ci/run does) or set %s",
            path, variable)
        .isTrue();
    return path;
  }

  private JsonNode createBot(String name) throws Exception {
    return Json.parse(
        send(
                HttpRequest.newBuilder(URI.create(base + "/bots"))
                    .header("Authorization", "Bearer " + ADMIN_KEY)
                    .header("Content-Type", "application/json")
                    .POST(BodyPublishers.ofString("{\"name\":\"" + name + "\"}")))
            .body());
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.timeout(WebDriver.WAIT).build(), BodyHandlers.ofString());
  }

  @Test
  void console_isOnePageOfThisOrigin_underAStrictContentSecurityPolicy() throws Exception {
    HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(base + "/console")));

    assertThat(page.statusCode()).isEqualTo(200);
    String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(csp)
        .contains("default-src 'none'", "script-src 'self'", "connect-src 'self'")
        .doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:", "*");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    // No inline script or style, nothing from another origin.
    assertThat(page.body())
        .doesNotContainPattern("<script(?![^>]*\\ssrc=)")
        .doesNotContain("style=", "<style", "http://", "https://", "//cdn", "on" + "click=");
    for (String asset : new String[] {"/console/console.js", "/console/console.css"}) {
      HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + asset)));
      assertThat(r.statusCode()).as(asset).isEqualTo(200);
      assertThat(r.body()).as(asset).doesNotContain("http://", "https://", "innerHTML", "eval(");
    }
    assertThat(send(HttpRequest.newBuilder(URI.create(base + "/console/other.js"))).statusCode())
        .isEqualTo(404);
  }

  /**
   * A bot's WebApp page is served from the console's origin; the console's
   * Cross-Origin-Opener-Policy keeps a page that opens it from reaching into it (where the owner
   * types the API key).
   */
  @Test
  void aBotsPageThatOpensTheConsole_getsNoHandleOnIt_inChromium(@TempDir Path tmp)
      throws Exception {
    Path chromium = binary("CHROMIUM", "/usr/bin/chromium");
    Path chromedriver = binary("CHROMEDRIVER", "/usr/bin/chromedriver");
    JsonNode bot = createBot("Pages");
    String botId = bot.get("id").asText();
    String key = bot.get("api_key").asText();
    String page =
        String.join(
            "",
            "var html = '<p id=\"result\">waiting</p><script>' +",
            " 'var w = window.open(\"/console\"), polls = 0;' +",
            " 'var t = setInterval(function () { var r = document.getElementById(\"result\");' +",
            " '  try { if (w.document.getElementById(\"api-key\")) { r.textContent = \"reached\";' +",
            " '    clearInterval(t); return; } } catch (e) {}' +",
            " '  if (++polls === 50) { r.textContent = \"not reached\"; clearInterval(t); }' +",
            " '}, 100);</' + 'script>';",
            "WebApp.render({ mime_type: 'text/html', content: html });");
    assertThat(
            send(
                    HttpRequest.newBuilder(URI.create(base + "/bots/" + botId + "/commands/%2Fpage"))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "text/plain")
                        .PUT(BodyPublishers.ofString(page)))
                .statusCode())
        .isEqualTo(200);
    String url =
        Json.parse(
                send(
                        HttpRequest.newBuilder(URI.create(base + "/bots/" + botId + "/webhooks"))
                            .header("Authorization", "Bearer " + key)
                            .header("Content-Type", "application/json")
                            .POST(BodyPublishers.ofString("{\"command\":\"/page\"}")))
                    .body())
            .get("url")
            .asText();

    try (WebDriver browser = WebDriver.start(chromium, chromedriver, tmp.resolve("profile"))) {
      browser.open(url);
      String result =
          browser.waitForText("#result", t -> !t.equals("waiting"), "the page's verdict");

      assertThat(result).isEqualTo("not reached");
    }
  }

  @Test
  void owner_mintsAHook_seesItsHitInTheLog_andDryReplaysIt_inChromium(@TempDir Path tmp)
      throws Exception {
    Path chromium = binary("CHROMIUM", "/usr/bin/chromium");
    Path chromedriver = binary("CHROMEDRIVER", "/usr/bin/chromedriver");
    JsonNode bot = createBot("Shop");
    String botId = bot.get("id").asText();
    String key = bot.get("api_key").asText();
    HttpResponse<String> uploaded =
        send(
            HttpRequest.newBuilder(URI.create(base + "/bots/" + botId + "/commands/%2Fpay"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "text/plain")
                .PUT(BodyPublishers.ofString(PAY)));
    assertThat(uploaded.statusCode()).isEqualTo(200);

    try (WebDriver browser = WebDriver.start(chromium, chromedriver, tmp.resolve("profile"))) {
      browser.open(base + "/console");
      browser.type("#api-key", key);
      browser.click("#login-form button[type=submit]");
      browser.waitForDisplayed("#app");

      browser.type("#mint-command", "/pay");
      browser.type("#mint-user", "1");
      browser.click("#mint");
      String url =
          browser.waitForText("#hooks-table tbody td.url", t -> t.contains("/hooks/"), "a hook");
      browser.screenshot(SHOTS.resolve("console-hooks.png"));

      HttpResponse<String> hit =
          send(
              HttpRequest.newBuilder(URI.create(url))
                  .header("Authorization", "Bearer provider-secret")
                  .header("Content-Type", "application/json")
                  .POST(BodyPublishers.ofString("{\"amount\":5}")));
      assertThat(hit.body()).contains("credited 5, balance 5");

      browser.click("#tabs button[data-tab=hits]");
      browser.waitForText("#hits-table tbody tr", t -> t.contains("/pay"), "the hit in the log");
      browser.click("#hits-table tbody tr");
      browser.waitForDisplayed("#hit-detail");
      assertThat(browser.text("#hit-request")).contains("[redacted]").doesNotContain("provider");
      assertThat(browser.text("#hit-answer")).contains("credited 5, balance 5");
      browser.screenshot(SHOTS.resolve("console-request-log.png"));

      browser.click("#dry-run");
      browser.waitForDisplayed("#replay");
      String diff =
          browser.waitForText(
              "#replay-diff tbody tr[data-property='user 1: balance']",
              t -> t.contains("10"),
              "the balance row of the diff");
      assertThat(diff).contains("(none) → 5", "5 → 10");
      assertThat(browser.text("#replay-diff tbody")).contains("credited 5, balance 10");
      assertThat(browser.text("#replay-title")).contains("nothing was written");
      browser.screenshot(SHOTS.resolve("console-dry-run.png"));
      assertThat(balance(botId)).isEqualTo(5);

      browser.click("#replay-commit");
      browser.acceptAlert();
      browser.waitForText("#replay-title", t -> t.contains("for real"), "the committed replay");
      assertThat(balance(botId)).isEqualTo(10);

      for (JsonNode entry : browser.browserLog()) {
        assertThat(entry.path("message").asText())
            .as("browser console")
            .doesNotContain("Content Security Policy", "Refused to");
      }
    }
  }

  private long balance(String botId) {
    return store
        .property(PropertyKey.ofUser(botId, "1", "balance"))
        .orElseThrow()
        .value()
        .value()
        .asLong();
  }
}
