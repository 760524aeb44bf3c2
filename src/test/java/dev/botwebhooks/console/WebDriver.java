package dev.botwebhooks.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.json.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;

/**
 * Headless Chromium driven by ChromeDriver over the W3C WebDriver protocol (plain JSON over HTTP
 * on loopback), as much of it as the console's browser test needs.
 */
final class WebDriver implements AutoCloseable {
  /** Generous: a guard against a hang on a loaded machine, never a measurement. */
  static final Duration WAIT = Duration.ofSeconds(30);

  private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

  private final Process driver;
  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;
  private final String session;

  private WebDriver(Process driver, String base, String session) {
    this.driver = driver;
    this.base = base;
    this.session = session;
  }

  /** Starts ChromeDriver on a free loopback port and opens a headless Chromium session. */
  static WebDriver start(Path chromium, Path chromedriver, Path profile) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process process =
        new ProcessBuilder(chromedriver.toString(), "--port=" + port, "--allowed-ips=127.0.0.1")
            .redirectErrorStream(true)
            .redirectOutput(profile.resolveSibling("chromedriver.log").toFile())
            .start();
    String base = "http://127.0.0.1:" + port;
    WebDriver starting = new WebDriver(process, base, null);
    try {
      starting.waitUntilReady();
      ObjectNode options = Json.object();
      options.put("binary", chromium.toString());
      ArrayNode args = options.putArray("args");
      List.of(
              "--headless",
              "--no-sandbox",
              "--disable-gpu",
              "--disable-quic",
              "--no-first-run",
              "--disable-background-networking",
              "--disable-component-update",
              "--disable-sync",
              "--disable-dev-shm-usage",
              "--window-size=1200,760",
              "--user-data-dir=" + profile)
          .forEach(args::add);
      ObjectNode body = Json.object();
      ObjectNode always = body.putObject("capabilities").putObject("alwaysMatch");
      always.put("browserName", "chrome");
      always.set("goog:chromeOptions", options);
      always.putObject("goog:loggingPrefs").put("browser", "ALL");
      JsonNode created = starting.call("POST", "/session", body);
      return new WebDriver(process, base, created.get("sessionId").asText());
    } catch (IOException | RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  private void waitUntilReady() throws IOException {
    Instant until = Instant.now().plus(WAIT);
    while (Instant.now().isBefore(until)) {
      try {
        if (call("GET", "/status", null).path("ready").asBoolean()) {
          return;
        }
      } catch (IOException | RuntimeException e) {
        // Not listening yet.
      }
      pause();
    }
    throw new IOException("chromedriver did not become ready within " + WAIT);
  }

  void open(String url) throws IOException {
    call("POST", path("/url"), Json.object().put("url", url));
  }

  /** The first element matching a CSS selector, waiting for it to exist. */
  String find(String css) throws IOException {
    return waitFor(() -> findNow(css), id -> id != null, "an element matching " + css);
  }

  private String findNow(String css) throws IOException {
    ObjectNode q = Json.object().put("using", "css selector").put("value", css);
    JsonNode found = call("POST", path("/elements"), q);
    if (!found.isArray()) {
      throw new IOException("find " + css + " answered " + found);
    }
    return found.isEmpty() ? null : found.get(0).path(ELEMENT).asText(null);
  }

  void click(String css) throws IOException {
    call("POST", path("/element/" + find(css) + "/click"), Json.object());
  }

  void type(String css, String text) throws IOException {
    call("POST", path("/element/" + find(css) + "/value"), Json.object().put("text", text));
  }

  /** The rendered text of the first match, once it exists. */
  String text(String css) throws IOException {
    return call("GET", path("/element/" + find(css) + "/text"), null).asText();
  }

  /** Waits until the text of the first match satisfies {@code test}, and returns it. */
  String waitForText(String css, Predicate<String> test, String what) throws IOException {
    return waitFor(
        () -> {
          String id = findNow(css);
          return id == null ? null : call("GET", path("/element/" + id + "/text"), null).asText();
        },
        t -> t != null && test.test(t),
        what);
  }

  boolean displayed(String css) throws IOException {
    String id = findNow(css);
    return id != null && call("GET", path("/element/" + id + "/displayed"), null).asBoolean();
  }

  void waitForDisplayed(String css) throws IOException {
    waitFor(() -> displayed(css), shown -> shown, css + " to be shown");
  }

  void acceptAlert() throws IOException {
    waitFor(
        () -> {
          try {
            call("POST", path("/alert/accept"), Json.object());
            return true;
          } catch (IOException e) {
            return false;
          }
        },
        done -> done,
        "a dialog to accept");
  }

  /** The browser's console messages since the last call (ChromeDriver's log endpoint). */
  JsonNode browserLog() throws IOException {
    return call("POST", path("/se/log"), Json.object().put("type", "browser"));
  }

  void screenshot(Path file) throws IOException {
    String png = call("GET", path("/screenshot"), null).asText();
    Files.createDirectories(file.getParent());
    Files.write(file, Base64.getDecoder().decode(png));
  }

  private interface Probe<T> {
    T get() throws IOException;
  }

  private <T> T waitFor(Probe<T> probe, Predicate<T> done, String what) throws IOException {
    Instant until = Instant.now().plus(WAIT);
    T last = null;
    while (Instant.now().isBefore(until)) {
      last = probe.get();
      if (done.test(last)) {
        return last;
      }
      pause();
    }
    throw new AssertionError("waited " + WAIT + " for " + what + "; last seen: " + last);
  }

  private String path(String rest) {
    return "/session/" + session + rest;
  }

  /** One WebDriver command; its {@code value}, or an IOException naming the driver's error. */
  private JsonNode call(String method, String path, JsonNode body) throws IOException {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(WAIT)
            .header("Content-Type", "application/json");
    r.method(
        method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(Json.write(body)));
    java.net.http.HttpResponse<String> response;
    try {
      response = http.send(r.build(), BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    JsonNode value = Json.parse(response.body()).path("value");
    if (response.statusCode() != 200) {
      throw new IOException(
          method + " " + path + " -> " + response.statusCode() + ": " + value.path("message"));
    }
    return value;
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws IOException {
    try {
      if (session != null) {
        call("DELETE", "/session/" + session, null);
      }
    } finally {
      driver.destroy();
      try {
        driver.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
