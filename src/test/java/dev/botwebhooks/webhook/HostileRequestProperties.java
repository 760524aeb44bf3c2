package dev.botwebhooks.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.Bot;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.MintRequest;
import dev.botwebhooks.core.Minter;
import dev.botwebhooks.core.RunResult;
import dev.botwebhooks.http.Headers;
import dev.botwebhooks.http.HttpRequest;
import dev.botwebhooks.http.HttpResponse;
import dev.botwebhooks.http.UrlEncoded;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.store.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever arrives, a hit answers with a JSON status below 500 and never throws. */
class HostileRequestProperties {
  private final MemoryStore store = new MemoryStore();
  private final IdGenerator ids = new IdGenerator(new SecureRandom());
  private final Minter minter = new Minter(store, ids, Clock.systemUTC());
  private final String hookId;
  private final WebhookEndpoint endpoint;

  HostileRequestProperties() {
    store.createBot(new Bot("b", "b", "h", 1, Clock.systemUTC().instant()));
    ScriptedRuntime runtime =
        new ScriptedRuntime()
            .on(
                "/cmd",
                (r, h) ->
                    new RunResult.Completed(
                        List.of(new RunResult.Output.Message(r.content(), r.options())),
                        Optional.empty(),
                        List.of(),
                        1,
                        1));
    hookId =
        minter
            .mint(
                "b",
                new MintRequest(
                    "/cmd", Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty()),
                "http://localhost")
            .webhook()
            .id();
    Settings settings =
        Settings.defaults()
            .withLimits(
                new Settings.Limits(
                    Settings.Limits.defaults().scriptTime(), 4096, 50, 4096, 8, 32, 65536,
                    1_000_000, Settings.Limits.defaults().maxOutboxBytes()));
    endpoint = new WebhookEndpoint(store, runtime, minter, ids, Clock.systemUTC(), settings);
  }

  @Property(tries = 300)
  void anyBodyQueryAndHeaders_answeredWithoutServerError(
      @ForAll("bodies") byte[] body,
      @ForAll("texts") String rawQuery,
      @ForAll("texts") String headerValue,
      @ForAll("contentTypes") String contentType) throws Exception {
    HttpRequest request =
        new HttpRequest(
            "POST",
            "/hooks/" + hookId,
            rawQuery,
            UrlEncoded.parse(rawQuery),
            Headers.builder().add("Content-Type", contentType).add("X-Any", headerValue).build(),
            body,
            "198.51.100.1",
            "r",
            "http://localhost");

    HttpResponse response = endpoint.handle(request);

    assertThat(response.status()).isIn(200, 413);
    assertThat(Json.parse(response.body()).isObject()).isTrue();
  }

  @Property(tries = 300)
  void anyPath_answeredWithoutServerError(@ForAll("texts") String suffix, @ForAll boolean post) {
    HttpRequest request =
        new HttpRequest(
            post ? "POST" : "GET",
            "/hooks/" + suffix,
            "",
            java.util.Map.of(),
            Headers.empty(),
            new byte[0],
            "198.51.100.2",
            "r",
            "http://localhost");

    assertThat(endpoint.handle(request).status()).isLessThan(500);
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(5000);
    Arbitrary<byte[]> deepJson =
        Arbitraries.integers()
            .between(1, 20_000)
            .map(n -> ("[".repeat(n) + "]".repeat(n)).getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> deepObject =
        Arbitraries.integers()
            .between(1, 12_000)
            .map(n -> ("{\"a\":".repeat(n) + "1" + "}".repeat(n)).getBytes(StandardCharsets.UTF_8));
    return Arbitraries.oneOf(random, deepJson, deepObject, texts().map(
        s -> s.getBytes(StandardCharsets.UTF_8)));
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.strings().all().ofMaxLength(300)
        .injectDuplicates(0.1)
        .edgeCases(e -> e.add("%").add("%ZZ&&==").add("\u0000").add("a=%E0%A4%A"));
  }

  @Provide
  Arbitrary<String> contentTypes() {
    return Arbitraries.of(
        "application/json", "application/x-www-form-urlencoded", "text/plain", "",
        "application/json; charset=utf-8");
  }
}
