package dev.botwebhooks.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.Store;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rate limit and allowlist per client IP (v4 and v6), hostile HTTP, and the per-request log line,
 * from outside through the local server with {@code --trust-forwarded-for}, on each store.
 */
abstract class EdgeScenarios {
  private final List<AutoCloseable> open = new ArrayList<>();

  abstract Store newStore();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private LocalService serve(Map<String, String> env, Clock clock) {
    LocalService service = new LocalService(newStore(), env, clock);
    open.add(service);
    return service;
  }

  // Rate limit and allowlist ----------------------------------------------------------------------

  @Test
  void hit_rateLimitPerClientIp_v4AndV6_allowlistComparedAsAddresses() {
    // A fixed clock inside one minute: the count cannot roll over mid-test.
    Instant at = Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(5);
    LocalService service =
        serve(
            Map.of(
                Settings.Env.RATE_LIMIT_PER_MINUTE, "3",
                Settings.Env.IP_ALLOWLIST,
                    "10.1.2.0/24, 2001:db8:aa:1::/64, 2001:db8::1, ::ffff:192.0.2.7"),
            Clock.fixed(at, ZoneOffset.UTC));
    BotClient bot = service.createBot("Limited");
    bot.command("/ip", "Bot.sendMessage(options.ip);");
    String hook = bot.mint("{\"command\":\"/ip\"}");

    for (String ip : List.of("203.0.113.5", "2001:db8:1::5")) {
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> r = bot.hitFrom(ip, hook);
        assertThat(r.statusCode()).as(ip).isEqualTo(200);
        assertThat(LocalService.parse(r.body()).get("answer").asText()).isEqualTo(ip);
      }
      HttpResponse<String> limited = bot.hitFrom(ip, hook);
      assertThat(limited.statusCode()).as(ip).isEqualTo(429);
      assertThat(limited.headers().firstValue("Retry-After")).contains("55");
      assertThat(limited.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/json");
      assertThat(LocalService.parse(limited.body()).get("error").asText()).contains("too many");
    }
    // The same address in another spelling is the same client.
    assertThat(bot.hitFrom("2001:DB8:1:0:0:0:0:5", hook).statusCode()).isEqualTo(429);
    assertThat(bot.hitFrom("::ffff:203.0.113.5", hook).statusCode()).isEqualTo(429);
    // The rightmost X-Forwarded-For hop is the client; earlier ones are its claims.
    assertThat(bot.hitFrom("10.1.2.3, 203.0.113.5", hook).statusCode()).isEqualTo(429);
    // Other clients have their own count.
    assertThat(bot.hitFrom("203.0.113.6", hook).statusCode()).isEqualTo(200);
    assertThat(bot.hitFrom("2001:db8:1::6", hook).statusCode()).isEqualTo(200);

    for (String exempt :
        List.of(
            "10.1.2.77", "::ffff:10.1.2.9", "2001:db8:aa:1:ffff::1234", "2001:db8:0:0::1",
            "192.0.2.7")) {
      for (int i = 0; i < 5; i++) {
        assertThat(bot.hitFrom(exempt, hook).statusCode()).as(exempt).isEqualTo(200);
      }
    }
    for (String outside : List.of("10.1.3.1", "2001:db8:aa:2::1", "2001:db8::2")) {
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        statuses.add(bot.hitFrom(outside, hook).statusCode());
      }
      assertThat(statuses).as(outside).containsExactly(200, 200, 200, 429);
    }
  }

  // Hostile HTTP ----------------------------------------------------------------------------------

  private static final String LEAK =
      "(?s).*(Exception|java\\.|dev\\.botwebhooks|\\tat |\\n\\s+at ).*";

  private static void assertClean(String what, LocalService.RawAnswer answer) {
    assertThat(answer.status()).as(what + ": " + answer.text()).isBetween(200, 499);
    assertThat(answer.text()).as(what).doesNotMatch(LEAK);
    // Every answer is JSON, the gateway's own refusals (a bad percent-encoding) included.
    assertThat(answer.text()).as(what).contains("Content-Type: application/json");
  }

  private static String get(String target) {
    return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  }

  private static byte[] post(String target, String type, byte[] body, String auth) {
    String head =
        "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            + "Content-Type: " + type + "\r\nContent-Length: " + body.length + "\r\n"
            + (auth == null ? "" : "Authorization: Bearer " + auth + "\r\n") + "\r\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(body);
    return out.toByteArray();
  }

  @Test
  void hostileRequests_answeredWith4xxOrRun_neverServerErrorOrStackTrace() {
    LocalService service = serve(Map.of(), Clock.systemUTC());
    BotClient bot = service.createBot("Target");
    bot.command("/echo", "Bot.sendMessage('got ' + content.length + ' ' + options.method);");
    String hook = bot.mint("{\"command\":\"/echo\"}");
    String bots = "/bots/" + bot.botId;

    byte[] invalidUtf8 = {'a', (byte) 0xff, (byte) 0xfe, (byte) 0xc3, '(', (byte) 0x80};
    LocalService.RawAnswer ran = service.raw(post(hook, "text/plain", invalidUtf8, null));
    assertClean("invalid UTF-8 body", ran);
    assertThat(ran.status()).isEqualTo(200);
    assertClean(
        "invalid UTF-8 JSON", service.raw(post(hook, "application/json", invalidUtf8, null)));
    assertClean("invalid UTF-8 form",
        service.raw(post(hook, "application/x-www-form-urlencoded", invalidUtf8, null)));

    String deep = "[".repeat(10_000) + "]".repeat(10_000);
    String deepObject = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
    for (String json : List.of(deep, deepObject)) {
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      assertClean("deep JSON hit", service.raw(post(hook, "application/json", bytes, null)));
      assertClean("deep JSON mint",
          service.raw(post(bots + "/webhooks", "application/json", bytes, bot.apiKey)));
      assertClean("deep JSON property",
          service.raw(
              ("PUT " + bots + "/properties/p HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                      + "Authorization: Bearer " + bot.apiKey + "\r\n"
                      + "Content-Type: application/json\r\nContent-Length: " + bytes.length
                      + "\r\n\r\n" + json)
                  .getBytes(StandardCharsets.ISO_8859_1)));
    }

    for (String target :
        List.of(
            "/hooks/%zz", hook + "%", hook + "%zz", hook + "?a=%zz&b=%&c=%e9", hook + "?%00=%00",
            "/hooks/%00", hook + "%00", "/hooks/" + "%00".repeat(40), hook + "&x=%zz",
            bots + "/commands/%zz", bots + "/commands/%00x", bots + "/properties/%",
            bots + "/users/%00/properties/p", "/bots/%zz/commands", "/%zz", "/hooks/..%2f..%2fbots",
            hook + "?" + "q=1&".repeat(15_000))) {
      assertClean(target.length() > 80 ? target.substring(0, 80) : target,
          service.raw(get(target)));
    }

    StringBuilder headers = new StringBuilder();
    for (int i = 0; i < 90; i++) {
      headers.append("X-Filler-").append(i).append(": ").append("v".repeat(2_000)).append("\r\n");
    }
    assertClean("huge headers", service.raw(
        "GET " + hook + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + headers + "\r\n"));
    assertClean("huge header value", service.raw(
        "GET " + hook + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nHmac: "
            + "h".repeat(200_000) + "\r\n\r\n"));

    for (String method : List.of("PROPFIND", "TRACE", "OPTIONS", "PATCH", "BREW", "DELETE")) {
      for (String target : List.of(hook, bots + "/commands", "/bots")) {
        LocalService.RawAnswer answer = service.raw(
            method + " " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                + "Authorization: Bearer " + bot.apiKey + "\r\nContent-Length: 0\r\n\r\n");
        assertClean(method + " " + target, answer);
        assertThat(answer.status()).as(method + " " + target).isBetween(400, 499);
      }
    }

    // Still serving normally afterwards.
    HttpResponse<String> after = bot.hit(hook);
    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(LocalService.parse(after.body()).get("answer").asText()).isEqualTo("got 0 GET");
  }

  // Observability ---------------------------------------------------------------------------------

  /** Everything the process prints while it runs, for checks of the log lines. */
  private static final class Captured implements AutoCloseable {
    private final PrintStream out = System.out;
    private final PrintStream err = System.err;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    Captured() {
      System.setOut(new PrintStream(tee(out), true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(tee(err), true, StandardCharsets.UTF_8));
    }

    private OutputStream tee(PrintStream original) {
      return new OutputStream() {
        @Override
        public void write(int b) {
          synchronized (bytes) {
            bytes.write(b);
          }
          original.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          synchronized (bytes) {
            bytes.write(b, off, len);
          }
          original.write(b, off, len);
        }
      };
    }

    String text() {
      synchronized (bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
      }
    }

    @Override
    public void close() {
      System.setOut(out);
      System.setErr(err);
    }
  }

  /** Whether this store talks to DynamoDB, so that hits make requests to count. */
  abstract boolean countsRequests();

  @Test
  void logLines_oneJsonLinePerHit_withStoreRequests_neverSecretsOrBodies() throws IOException {
    String captured;
    String apiKey;
    String requestId;
    try (Captured capture = new Captured()) {
      LocalService service = serve(Map.of(), Clock.systemUTC());
      BotClient bot = service.createBot("Logged");
      apiKey = bot.apiKey;
      bot.command("/secretive", "Bot.setProperty('seen', content, 'string');\n"
          + "Bot.sendMessage('ok'); if (content === 'fail') { throw new Error('no'); }");
      String hook = bot.mint("{\"command\":\"/secretive\",\"content\":\"stored-content-zq\"}");
      bot.api("PUT", "/properties/token", "application/json",
          "{\"value\":\"property-secret-zq\",\"type\":\"string\"}");
      bot.api("GET", "/properties/token", null, null);
      HttpResponse<String> hit =
          service.send(
              service.request(hook + "?query=query-secret-zq")
                  .header("Hmac", "header-secret-zq")
                  .POST(BodyPublishers.ofString("body-secret-zq")));
      assertThat(hit.statusCode()).isEqualTo(200);
      requestId = hit.headers().firstValue("x-request-id").orElse(null);
      service.send(service.request(hook).POST(BodyPublishers.ofString("fail")));
      bot.api("GET", "/messages", null, null);
      captured = capture.text();
    }

    assertThat(captured)
        .doesNotContain(LocalService.ADMIN_KEY, apiKey, "body-secret-zq", "stored-content-zq",
            "property-secret-zq", "header-secret-zq", "query-secret-zq");
    List<JsonNode> hitLines = new ArrayList<>();
    for (String line : captured.split("\n")) {
      if (line.startsWith("{") && line.contains("\"hook_id\"")) {
        hitLines.add(LocalService.parse(line));
      }
    }
    assertThat(hitLines).hasSize(2);
    JsonNode ok = hitLines.get(0);
    assertThat(ok.get("status").asInt()).isEqualTo(200);
    assertThat(ok.get("request_id").asText()).isNotBlank();
    assertThat(ok.get("bot_id").asText()).isNotBlank();
    assertThat(ok.has("duration_ms")).isTrue();
    // Rate count, hook, bot, property read, commit: at least five on DynamoDB.
    if (countsRequests()) {
      assertThat(ok.get("dynamodb_requests").asLong()).isGreaterThanOrEqualTo(5);
    } else {
      assertThat(ok.get("dynamodb_requests").asLong()).isZero();
    }
    assertThat(hitLines.get(1).get("status").asInt()).isEqualTo(503);
    assertThat(requestId).isNull(); // the id travels in error bodies, not in a header
  }
}
