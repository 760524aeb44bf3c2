package dev.botwebhooks.botapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.botwebhooks.botapi.ApiClient.Reply;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.Commit;
import dev.botwebhooks.core.ErrorEntry;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.Minter;
import dev.botwebhooks.script.RhinoScriptRuntime;
import dev.botwebhooks.webhook.HitService;
import dev.botwebhooks.webhook.Replays;
import dev.botwebhooks.core.OutboxEntry;
import dev.botwebhooks.core.PropertyKey;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.core.StoreUnavailableException;
import dev.botwebhooks.core.Webhook;
import dev.botwebhooks.testing.MovableClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The bot API's behaviour through {@link BotApi#handle}, on whatever store {@link #newStore()}
 * gives: each store implementation runs this suite by subclassing it.
 */
abstract class BotApiContract {
  static final String ADMIN_KEY = "admin-key-for-tests-0123456789";
  static final Instant START = Instant.parse("2030-01-02T03:04:05Z");

  /** A fresh store (or a fresh view of a shared one: every test makes its own bots). */
  protected abstract Store newStore();

  Store store;
  MovableClock clock;
  IdGenerator ids;
  ApiClient api;
  String botA;
  String keyA;
  String botB;
  String keyB;

  @BeforeEach
  void setUp() {
    store = newStore();
    clock = MovableClock.at(START);
    ids = IdGenerator.secure();
    api = client(settings());
    JsonNode a = createBot("Bot A");
    JsonNode b = createBot("Bot B");
    botA = a.get("id").asText();
    keyA = a.get("api_key").asText();
    botB = b.get("id").asText();
    keyB = b.get("api_key").asText();
    // A master command: every command string runs, so hooks can be minted for any of them.
    for (String bot : List.of(botA, botB)) {
      store.putCommand(bot, "*", List.of(), "Bot.sendMessage(message)");
    }
  }

  JsonNode createBot(String name) {
    Reply r = api.call("POST", "/bots").key(ADMIN_KEY).json("{\"name\":\"" + name + "\"}").send();
    assertThat(r.status()).isEqualTo(201);
    return r.json();
  }

  static Settings settings() {
    Settings d = Settings.defaults();
    return new Settings(
        d.tableName(),
        d.dynamoDbEndpoint(),
        d.region(),
        Optional.of(ADMIN_KEY),
        Optional.empty(),
        "",
        d.limits());
  }

  ApiClient client(Settings settings) {
    return client(settings, store);
  }

  ApiClient client(Settings settings, Store s) {
    Minter minter = new Minter(s, ids, clock);
    HitReplayer replayer =
        (hit, commit) -> {
          RhinoScriptRuntime runtime = new RhinoScriptRuntime(settings.limits());
          HitService live = new HitService(s, runtime, minter, ids, clock, settings);
          return new Replays(s, runtime, ids, clock, settings, live).replay(hit, commit);
        };
    return new ApiClient(new BotApi(s, minter, ids, clock, settings, replayer));
  }

  Reply get(String path) {
    return api.call("GET", path).key(keyA).send();
  }

  Reply delete(String path) {
    return api.call("DELETE", path).key(keyA).send();
  }

  Reply putJson(String path, String json) {
    return api.call("PUT", path).key(keyA).json(json).send();
  }

  Reply postJson(String path, String json) {
    return api.call("POST", path).key(keyA).json(json).send();
  }

  Reply putText(String path, String text) {
    return api.call("PUT", path).key(keyA).text(text).send();
  }

  String a(String rest) {
    return "/bots/" + botA + rest;
  }

  /** Reads every page of a listing, checking each page's size against the limit. */
  List<JsonNode> readAll(String path, int limit) {
    List<JsonNode> all = new ArrayList<>();
    String cursor = null;
    do {
      String sep = path.contains("?") ? "&" : "?";
      Reply r = get(path + sep + "limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(r.status()).isEqualTo(200);
      JsonNode page = r.json();
      assertThat(page.get("items").size()).isLessThanOrEqualTo(limit);
      page.get("items").forEach(all::add);
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
    } while (cursor != null);
    return all;
  }

  static void assertError(Reply r, int status, String... fragments) {
    assertThat(r.status()).as(r.response().body()).isEqualTo(status);
    assertThat(r.json().has("error")).isTrue();
    for (String f : fragments) {
      assertThat(r.error()).contains(f);
    }
    assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
  }

  /** A store that behaves like {@code target} except where {@code failure} throws. */
  static Store failing(Store target, String methodName, RuntimeException failure) {
    return (Store)
        Proxy.newProxyInstance(
            Store.class.getClassLoader(),
            new Class<?>[] {Store.class},
            (proxy, method, args) -> {
              if (method.getName().equals(methodName)) {
                throw failure;
              }
              try {
                return method.invoke(target, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Nested
  class Routing {
    @Test
    void unknownRoute_returns404() {
      assertError(get("/nothing"), 404);
      assertError(get(a("/unknown")), 404);
      assertError(get(a("/commands/")), 404);
      assertError(get("/"), 404);
      assertError(api.call("GET", "/bots/" + botA + "//commands").key(keyA).send(), 404);
    }

    @Test
    void wrongMethod_returns405WithAllow() {
      Reply r = api.call("PATCH", a("/commands/x")).key(keyA).send();
      assertError(r, 405, "PATCH");
      assertThat(r.header("Allow")).isEqualTo("GET, PUT, DELETE");
      assertThat(api.call("PUT", "/bots").send().header("Allow")).isEqualTo("POST, GET");
      assertThat(api.call("GET", "/bots/" + botA).send().header("Allow")).isEqualTo("DELETE");
      assertThat(api.call("PUT", a("/webhooks")).key(keyA).send().header("Allow"))
          .isEqualTo("GET, POST");
      assertThat(api.call("POST", a("/messages")).key(keyA).send().status()).isEqualTo(405);
    }

    @Test
    void badPercentEscape_returns400() {
      assertError(get(a("/commands/%2")), 400, "percent-escape");
      assertError(get(a("/commands/%zz")), 400, "percent-escape");
      assertError(get(a("/commands/%C3%28")), 400, "UTF-8");
    }

    @Test
    void nulInPath_returns400() {
      assertError(get(a("/commands/a%00b")), 400, "NUL");
    }

    @Test
    void bodyOverLimit_returns413BeforeAuthAndParsing() {
      Settings small =
          settings().withLimits(limits(l -> new Settings.Limits(
              l.scriptTime(), 10, l.maxMessages(), l.maxMessageChars(), l.maxRunDepth(),
              l.maxRuns(), l.maxPropertyBytes(), l.rateLimitPerMinute(), l.maxOutboxBytes())));
      ApiClient smallApi = client(small);
      Reply r =
          smallApi.call("POST", a("/webhooks")).json("{\"command\": \"/long-enough\"}").send();
      assertError(r, 413, "MAX_BODY_BYTES");
      Reply ok = smallApi.call("PUT", a("/commands/x")).key(keyA).text("// ok").send();
      assertThat(ok.status()).isEqualTo(200);
    }

    @Test
    void jsonRoute_withNonJsonContentType_returns415() {
      Reply r = api.call("POST", a("/webhooks")).key(keyA)
          .header("Content-Type", "text/plain").body("{\"command\":\"/x\"}".getBytes()).send();
      assertError(r, 415, "application/json");
    }

    @Test
    void jsonRoute_withoutContentType_isAccepted() {
      Reply r = api.call("POST", a("/webhooks")).key(keyA)
          .body("{\"command\":\"/x\"}".getBytes(StandardCharsets.UTF_8)).send();
      assertThat(r.status()).isEqualTo(201);
      Reply vendor = api.call("POST", a("/webhooks")).key(keyA)
          .header("Content-Type", "application/vnd.api+json; charset=utf-8")
          .body("{\"command\":\"/x\"}".getBytes(StandardCharsets.UTF_8)).send();
      assertThat(vendor.status()).isEqualTo(201);
    }

    @Test
    void malformedJson_returns400() {
      assertError(postJson(a("/webhooks"), "{\"command\":"), 400, "JSON");
      assertError(postJson(a("/webhooks"), "[1,2]"), 400, "JSON object");
      assertError(postJson(a("/webhooks"), ""), 400, "JSON object");
      assertError(postJson(a("/webhooks"), "null"), 400, "JSON object");
      assertError(postJson(a("/webhooks"), "[".repeat(5000)), 400, "JSON");
      // Text after the first value is not JSON either: nothing of it is taken.
      assertError(postJson(a("/webhooks"), "{\"command\":\"/x\"}}}}"), 400, "JSON");
      assertError(postJson(a("/webhooks"), "{\"command\":\"/x\"} garbage"), 400, "JSON");
      assertError(postJson(a("/webhooks"), "{\"command\":\"/x\"}{\"command\":\"/y\"}"), 400, "JSON");
      assertThat(postJson(a("/webhooks"), "{\"command\":\"/x\"}\n  ").status()).isEqualTo(201);
      assertError(
          api.call("POST", a("/webhooks")).key(keyA).header("Content-Type", "application/json")
              .body(new byte[] {'"', (byte) 0xff, '"'}).send(),
          400, "UTF-8");
    }

    @Test
    void unexpectedFailure_returns500WithoutDetails() {
      ApiClient broken =
          client(settings(), failing(store, "errors", new IllegalStateException("secret detail")));
      Reply r = broken.call("GET", a("/errors")).key(keyA).send();
      assertError(r, 500);
      assertThat(r.json().toString()).isEqualTo("{\"error\":\"internal error\"}");
    }

    @Test
    void storeUnavailable_returns503WithRetryAfter() {
      ApiClient down =
          client(settings(), failing(store, "webhooks", new StoreUnavailableException("x", null)));
      Reply r = down.call("GET", a("/webhooks")).key(keyA).send();
      assertError(r, 503);
      assertThat(r.header("Retry-After")).isEqualTo("1");
    }
  }

  static Settings.Limits limits(Function<Settings.Limits, Settings.Limits> change) {
    return change.apply(Settings.Limits.defaults());
  }

  @Nested
  class Auth {
    @Test
    void missingKey_returns401WithChallenge() {
      Reply r = api.call("GET", a("/commands")).send();
      assertError(r, 401, "Bearer");
      assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer");
    }

    @Test
    void malformedAuthorization_returns401() {
      for (String value : List.of("Basic abc", "Bearer", "Bearer    ", keyA, "", "Token " + keyA)) {
        Reply r = api.call("GET", a("/commands")).header("Authorization", value).send();
        assertError(r, 401);
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer");
      }
    }

    @Test
    void wrongKey_returns401() {
      String wrongSecret = botA + "." + "A".repeat(43);
      for (String key : List.of(wrongSecret, "nobot." + "A".repeat(43), "garbage", "a.b.c",
          keyA + "x", keyA.substring(0, keyA.length() - 1), "é".repeat(3))) {
        Reply r = api.call("GET", a("/commands")).key(key).send();
        assertError(r, 401, "not valid");
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer");
      }
    }

    @Test
    void schemeIsCaseInsensitive() {
      Reply r = api.call("GET", a("/commands")).header("Authorization", "bearer " + keyA).send();
      assertThat(r.status()).isEqualTo(200);
    }

    @Test
    void otherBotsKey_returns404LikeAMissingBot() {
      Reply other = api.call("GET", a("/commands")).key(keyB).send();
      Reply missing = api.call("GET", "/bots/noSuchBot/commands").key(keyB).send();
      assertError(other, 404);
      assertThat(other.response().body()).isEqualTo(missing.response().body());
      putJson(a("/properties/secret"), "{\"value\": 1}");
      assertError(api.call("GET", a("/properties/secret")).key(keyB).send(), 404);
      assertError(api.call("DELETE", a("/properties/secret")).key(keyB).send(), 404);
      assertThat(get(a("/properties/secret")).status()).isEqualTo(200);
      assertError(api.call("POST", a("/webhooks")).key(keyB).json("{\"command\":\"/x\"}").send(),
          404);
    }

    @Test
    void keyOfOneBot_neverReachesAnotherBotsData() {
      putText(a("/commands/%2Fa"), "// a");
      String hook = postJson(a("/webhooks"), "{\"command\":\"/a\"}").json().get("id").asText();
      for (String path : List.of("/commands", "/commands/%2Fa", "/webhooks", "/messages",
          "/errors", "/libs/Lib", "/users/u1", "/users/u1/properties/p", "/properties/p")) {
        assertError(api.call("GET", a(path)).key(keyB).send(), 404);
      }
      assertError(api.call("DELETE", a("/webhooks/" + hook)).key(keyB).send(), 404);
      assertError(api.call("DELETE", "/bots/" + botB + "/webhooks/" + hook).key(keyB).send(), 404);
      assertThat(store.webhook(hook)).isPresent();
      assertThat(api.call("GET", "/bots/" + botB + "/webhooks").key(keyB).send().json()
          .get("items").size()).isZero();
    }

    @Test
    void adminKey_reachesAnyBot_butMissingBotIs404() {
      assertThat(api.call("GET", a("/commands")).key(ADMIN_KEY).send().status()).isEqualTo(200);
      assertError(api.call("GET", "/bots/noSuchBot/commands").key(ADMIN_KEY).send(), 404);
      assertError(api.call("GET", "/bots/bad%2Fid/commands").key(ADMIN_KEY).send(), 404);
    }

    @Test
    void createBot_withoutConfiguredAdminKey_isRefused() {
      ApiClient noAdmin = client(Settings.defaults());
      Reply r = noAdmin.call("POST", "/bots").key("anything").json("{\"name\":\"x\"}").send();
      assertError(r, 403, "ADMIN_KEY");
      assertError(noAdmin.call("POST", "/bots").json("{\"name\":\"x\"}").send(), 403, "ADMIN_KEY");
    }

    @Test
    void createBot_withWrongOrMissingAdminKey_returns401() {
      assertError(api.call("POST", "/bots").key("wrong").json("{\"name\":\"x\"}").send(), 401);
      assertError(api.call("POST", "/bots").json("{\"name\":\"x\"}").send(), 401);
    }

    @Test
    void createBot_withABotsKey_returns403() {
      assertError(api.call("POST", "/bots").key(keyA).json("{\"name\":\"x\"}").send(), 403,
          "admin key");
    }
  }

  @Nested
  class Bots {
    @Test
    void createBot_returns201WithKeyShownOnce() {
      Reply r = api.call("POST", "/bots").key(ADMIN_KEY).json("{\"name\":\"Cat bot\"}").send();
      assertThat(r.status()).isEqualTo(201);
      JsonNode body = r.json();
      String id = body.get("id").asText();
      String key = body.get("api_key").asText();
      assertThat(body.get("name").asText()).isEqualTo("Cat bot");
      assertThat(id).matches("[A-Za-z0-9_-]{22}");
      assertThat(key).startsWith(id + ".");
      assertThat(key.substring(id.length() + 1)).matches("[A-Za-z0-9_-]{43}");
      assertThat(store.bot(id).orElseThrow().apiKeyHash())
          .isEqualTo(ApiKeys.sha256Hex(key))
          .doesNotContain(key);
      assertThat(api.call("GET", "/bots/" + id + "/commands").key(key).send().status())
          .isEqualTo(200);
    }

    @Test
    void createBot_twice_givesDistinctIdsAndKeys() {
      assertThat(botA).isNotEqualTo(botB);
      assertThat(keyA).isNotEqualTo(keyB);
    }

    @Test
    void createBot_badName_returns400() {
      for (String body : List.of("{}", "{\"name\": null}", "{\"name\": 5}", "{\"name\": \"  \"}",
          "{\"name\": \"a\\u0001b\"}", "{\"name\": \"" + "n".repeat(257) + "\"}",
          "{\"name\": \"cut \\ud83d\"}",
          "{\"name\": \"ok\", \"owner\": \"x\"}")) {
        Reply r = api.call("POST", "/bots").key(ADMIN_KEY).json(body).send();
        assertError(r, 400);
        assertThat(r.error()).containsAnyOf("name", "owner");
      }
    }
  }

  @Nested
  class Commands {
    static final String START =
        "/*CMD\n"
            + "  command: /start\n"
            + "  help: \n"
            + "  need_reply: false\n"
            + "  answer: <<ANSWER\n"
            + "Hello,\n"
            + "  world\n"
            + "ANSWER\n"
            + "  keyboard: \n"
            + "  aliases: /s, /begin , /s\n"
            + "CMD*/\n"
            + "Bot.sendMessage('hi');\n";

    /**
     * A name is the rest of the path: escaped in one segment ({@code %2Fpay%2Fok}, as clients send
     * it) or with its slashes decoded, as an HTTP API hands the path over ({@code /pay/ok}); a
     * property's name the same. A path that ends at the collection names nothing.
     */
    @Test
    void names_areTheRestOfThePath_escapedOrDecoded() {
      assertThat(putText(a("/commands/%2Fpay%2Fok"), "Bot.sendMessage(1)").status()).isEqualTo(200);
      assertThat(get(a("/commands//pay/ok")).json().get("name").asText()).isEqualTo("/pay/ok");
      assertThat(putText(a("/commands//100%25%20off"), "Bot.sendMessage(2)").status()).isEqualTo(200);
      assertThat(get(a("/commands/%2F100%25%20off")).json().get("name").asText())
          .isEqualTo("/100% off");
      assertThat(putJson(a("/properties/a/b"), "{\"value\":1,\"type\":\"integer\"}").status())
          .isEqualTo(200);
      assertThat(get(a("/properties/a%2Fb")).json().get("name").asText()).isEqualTo("a/b");
      assertThat(delete(a("/commands//pay/ok")).status()).isEqualTo(204);
      assertError(get(a("/commands/%2Fpay%2Fok")), 404);
      assertError(get(a("/commands/")), 404);
    }

    @Test
    void putCommand_withHeader_storesAliasesAndVersion() {
      Reply r = putText(a("/commands/%2Fstart"), START);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.json().toString())
          .isEqualTo("{\"name\":\"/start\",\"aliases\":[\"/s\",\"/begin\"],\"version\":1}");
      assertThat(putText(a("/commands/%2Fstart"), START).json().get("version").asLong())
          .isEqualTo(2);
    }

    /**
     * A body within the request limit whose transpiled form doubles it: stored with it, it would
     * pass one DynamoDB item (README "Transpiling at upload").
     */
    @Test
    void putCommand_thatWithItsTranspiledFormPassesOneStoredItem_isRefusedNamingItsSize() {
      String line = "class A%d { constructor() { this.v = [...[1, 2, 3]]; } m({a, ...rest}) {"
          + " return rest; } }\n";
      StringBuilder big = new StringBuilder();
      for (int i = 0; big.length() < 150_000; i++) {
        big.append(String.format(line, i));
      }
      StringBuilder fits = new StringBuilder();
      for (int i = 0; fits.length() < 40_000; i++) {
        fits.append(String.format(line, i));
      }

      assertError(putText(a("/commands/%2Fbig"), big.toString()), 400, "stored, the file with its transpiled form is");
      assertThat(store.code(botA).command("/big")).isEmpty();
      assertThat(putText(a("/commands/%2Fbig"), fits.toString()).status()).isEqualTo(200);
      assertThat(store.code(botA).command("/big")).isPresent();
      // The aliases are kept again beside the file.
      StringBuilder aliases = new StringBuilder("/*CMD\n  command: /many\n  aliases: ");
      for (int i = 0; i < 2000; i++) {
        aliases.append(i == 0 ? "" : ", ").append("/").append(i).append("a".repeat(110));
      }
      aliases.append("\nCMD*/\nBot.sendMessage('hi');\n");
      assertError(putText(a("/commands/%2Fmany"), aliases.toString()), 400, "aliases");
    }

    @Test
    void putCommand_everyAliasIsRunnable() {
      putText(a("/commands/%2Fstart"), START);
      var code = store.code(botA);
      assertThat(code.command("/s").orElseThrow().name()).isEqualTo("/start");
      assertThat(code.command("/begin").orElseThrow().name()).isEqualTo("/start");
      assertThat(code.command("/start").orElseThrow().source()).isEqualTo(START);
    }

    /** Uploads at once that each take one alias: one gets it, the others a 409, on both stores. */
    @Test
    void putCommand_concurrentUploadsOfOneAlias_onlyOneTakesIt() throws Exception {
      int uploads = 8;
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(uploads);
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<Integer>> statuses = new java.util.ArrayList<>();
      for (int i = 0; i < uploads; i++) {
        String name = "r" + i;
        statuses.add(pool.submit(() -> {
          start.await();
          return putText(a("/commands/" + name),
              "/*CMD\n  command: " + name + "\n  aliases: same\nCMD*/\nBot.sendMessage(1)").status();
        }));
      }
      start.countDown();
      List<Integer> seen = new java.util.ArrayList<>();
      for (java.util.concurrent.Future<Integer> f : statuses) {
        seen.add(f.get());
      }
      pool.shutdown();
      assertThat(seen).filteredOn(st -> st == 200).hasSize(1);
      assertThat(seen).filteredOn(st -> st == 409).hasSize(uploads - 1);
      assertThat(store.code(botA).commands())
          .filteredOn(c -> c.aliases().contains("same"))
          .hasSize(1);
    }

    @Test
    void putCommand_bumpsBotCodeVersion() {
      long before = store.bot(botA).orElseThrow().codeVersion();
      putText(a("/commands/x"), "// x");
      assertThat(store.bot(botA).orElseThrow().codeVersion()).isGreaterThan(before);
    }

    @Test
    void getCommand_returnsSource() {
      putText(a("/commands/%2Fstart"), START);
      JsonNode c = get(a("/commands/%2Fstart")).json();
      assertThat(c.get("name").asText()).isEqualTo("/start");
      assertThat(c.get("source").asText()).isEqualTo(START);
      assertThat(c.get("aliases").size()).isEqualTo(2);
      assertThat(c.get("version").asLong()).isEqualTo(1);
    }

    @Test
    void getCommand_unknown_returns404() {
      assertError(get(a("/commands/%2Fnope")), 404, "/nope");
    }

    @Test
    void deleteCommand_returns204Then404() {
      putText(a("/commands/%2Fstart"), START);
      Reply r = delete(a("/commands/%2Fstart"));
      assertThat(r.status()).isEqualTo(204);
      assertThat(r.response().body()).isEmpty();
      assertError(get(a("/commands/%2Fstart")), 404);
      assertError(delete(a("/commands/%2Fstart")), 404);
    }

    @Test
    void listCommands_pagesByNameExactlyOnce() {
      store.deleteCommand(botA, "*"); // the fixture's master command
      List<String> names = List.of("/e", "/a", "@", "/c", "/b", "@@", "/d");
      for (String n : names) {
        putText(a("/commands/" + n.replace("/", "%2F")), "// " + n);
      }
      List<JsonNode> all = readAll(a("/commands"), 2);
      assertThat(all).extracting(n -> n.get("name").asText())
          .containsExactly("/a", "/b", "/c", "/d", "/e", "@", "@@");
      assertThat(all.get(0).has("source")).isFalse();
      assertThat(all.get(0).has("aliases")).isTrue();
      assertThat(all.get(0).has("version")).isTrue();
    }

    @Test
    void listCommands_badCursor_returns400() {
      assertError(get(a("/commands?cursor=%25%25%25")), 400, "cursor");
      // Base64 that holds no command name (control characters, bytes that are not UTF-8) is none.
      assertError(get(a("/commands?cursor=AAAA")), 400, "cursor is not one this API returned");
      assertError(get(a("/commands?cursor=__8")), 400, "cursor is not one this API returned");
    }

    @Test
    void putCommand_headerNameDiffersFromPath_returns400() {
      assertError(putText(a("/commands/%2Fother"), START), 400, "/start", "/other");
    }

    @Test
    void putCommand_headerWithoutCommandKey_usesPathName() {
      Reply r = putText(a("/commands/%40"), "/*CMD\n aliases: \nCMD*/\nvar x = 1;");
      assertThat(r.json().get("name").asText()).isEqualTo("@");
      assertThat(r.json().get("aliases").size()).isZero();
    }

    @Test
    void putCommand_withoutHeader_hasNoAliases() {
      Reply r = putText(a("/commands/%2Fplain"), "Bot.sendMessage('/*CMD');");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.json().get("aliases").size()).isZero();
    }

    @Test
    void putCommand_unclosedHeader_returns400() {
      assertError(putText(a("/commands/x"), "/*CMD\ncommand: x\n"), 400, "CMD*/");
    }

    @Test
    void putCommand_namesWithSpacesAndEmoji_areTrimmedAndKept() {
      Reply r = putText(a("/commands/%20good%20morning%20"), "/*CMD\n  command: good morning\n"
          + "  aliases: Back \uD83D\uDD19 , \uD83D\uDCB0 Balance\nCMD*/\nBot.sendMessage(1)");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.json().get("name").asText()).isEqualTo("good morning");
      assertThat(r.json().get("aliases").toString())
          .isEqualTo("[\"Back \uD83D\uDD19\",\"\uD83D\uDCB0 Balance\"]");
      assertThat(get(a("/commands/good%20morning")).status()).isEqualTo(200);
      // Read, minted and deleted by the name as uploaded, blanks and all.
      assertThat(get(a("/commands/%20good%20morning%20")).json().get("name").asText())
          .isEqualTo("good morning");
      assertThat(postJson(a("/webhooks"), "{\"command\":\" good morning \"}").status())
          .isEqualTo(201);
      assertThat(delete(a("/commands/%20good%20morning%20")).status()).isEqualTo(204);
      assertThat(get(a("/commands/good%20morning")).status()).isEqualTo(404);
    }

    @Test
    void putCommand_unendedMultiLineValue_returns400() {
      assertError(putText(a("/commands/x"), "/*CMD\nanswer: <<ANSWER\nhi\nCMD*/"), 400,
          "ANSWER");
    }

    @Test
    void putCommand_badName_returns400() {
      assertError(putText(a("/commands/%20%20"), "//"), 400, "command name", "1-256");
      assertError(putText(a("/commands/a%09b"), "//"), 400, "command name", "control");
      assertError(putText(a("/commands/a%0Ab"), "//"), 400, "command name", "control");
      assertError(putText(a("/commands/a%01b"), "//"), 400, "command name", "control");
      assertError(putText(a("/commands/" + "x".repeat(257)), "//"), 400, "command name", "256");
      assertThat(putText(a("/commands/" + "x".repeat(256)), "//").status()).isEqualTo(200);
    }

    @Test
    void putCommand_badAlias_returns400() {
      assertError(putText(a("/commands/x"), "/*CMD\naliases: /ok, " + "y".repeat(300) + "\nCMD*/"),
          400, "alias");
    }

    @Test
    void putCommand_aliasTakenByAnotherCommand_returns409() {
      putText(a("/commands/%2Fstart"), START);
      assertError(putText(a("/commands/%2Fother"), "/*CMD\naliases: /begin\nCMD*/"), 409,
          "/begin", "/start");
      assertError(putText(a("/commands/%2Fother"), "/*CMD\naliases: /start\nCMD*/"), 409);
      assertError(putText(a("/commands/%2Fs"), "// would shadow the alias"), 409, "/s");
    }

    @Test
    void putCommand_jsonContentType_returns415() {
      Reply r = api.call("PUT", a("/commands/x")).key(keyA).json("{\"source\":\"x\"}").send();
      assertError(r, 415, "text");
    }

    @Test
    void putCommand_javascriptOrNoContentType_isAccepted() {
      Reply js = api.call("PUT", a("/commands/x")).key(keyA)
          .header("Content-Type", "application/javascript")
          .body("// js".getBytes(StandardCharsets.UTF_8)).send();
      assertThat(js.status()).isEqualTo(200);
      Reply none = api.call("PUT", a("/commands/y")).key(keyA)
          .body("// none".getBytes(StandardCharsets.UTF_8)).send();
      assertThat(none.status()).isEqualTo(200);
    }

    @Test
    void putCommand_invalidUtf8_returns400() {
      Reply r = api.call("PUT", a("/commands/x")).key(keyA)
          .header("Content-Type", "text/plain").body(new byte[] {(byte) 0xc3, 0x28}).send();
      assertError(r, 400, "UTF-8");
    }
  }

  @Nested
  class Libraries {
    @Test
    void putGetDeleteLibrary() {
      Reply put = putText(a("/libs/Greeter"), "publish({ hi: function() { return 1; } });");
      assertThat(put.status()).isEqualTo(200);
      assertThat(put.json().get("name").asText()).isEqualTo("Greeter");
      assertThat(put.json().get("version").asLong()).isEqualTo(1);
      JsonNode got = get(a("/libs/Greeter")).json();
      assertThat(got.get("source").asText()).startsWith("publish(");
      assertThat(store.code(botA).library("Greeter")).isPresent();
      assertThat(delete(a("/libs/Greeter")).status()).isEqualTo(204);
      assertError(get(a("/libs/Greeter")), 404);
      assertError(delete(a("/libs/Greeter")), 404);
    }

    @Test
    void webhooksLibrary_cannotBeReplacedOrDeleted() {
      assertError(putText(a("/libs/Webhooks"), "publish({})"), 400, "Webhooks", "built in");
      assertError(delete(a("/libs/Webhooks")), 400, "built in");
    }

    @Test
    void badLibraryName_returns400() {
      for (String name : List.of("1abc", "_x", "a-b", "a.b", "x".repeat(65), "a%20b")) {
        assertError(putText(a("/libs/" + name), "publish({})"), 400, "library name");
      }
      assertThat(putText(a("/libs/" + "x".repeat(64)), "publish({})").status()).isEqualTo(200);
    }

    @Test
    void putLibrary_jsonContentType_returns415() {
      assertError(api.call("PUT", a("/libs/L")).key(keyA).json("{}").send(), 415);
    }
  }

  @Nested
  class Webhooks {
    @Test
    void mint_returns201WithUrlUnderRequestBase() {
      Reply r = postJson(a("/webhooks"),
          "{\"command\":\"/onWebhook\",\"content\":\"c\",\"user_id\":\"u1\","
              + "\"redirect_to\":\"https://example.com/done?x=1\",\"expires_in\":60}");
      assertThat(r.status()).isEqualTo(201);
      JsonNode h = r.json();
      String id = h.get("id").asText();
      assertThat(id).matches("[A-Za-z0-9_-]{22,}");
      assertThat(h.get("url").asText()).isEqualTo(ApiClient.BASE_URL + "/hooks/" + id);
      assertThat(h.get("command").asText()).isEqualTo("/onWebhook");
      assertThat(h.get("user_id").asText()).isEqualTo("u1");
      assertThat(h.get("redirect_to").asText()).isEqualTo("https://example.com/done?x=1");
      assertThat(h.get("expires_at").asText()).isEqualTo("2030-01-02T03:05:05Z");
      assertThat(h.get("created_at").asText()).isEqualTo("2030-01-02T03:04:05Z");
      assertThat(h.has("content")).isFalse();
      Webhook stored = store.webhook(id).orElseThrow();
      assertThat(stored.botId()).isEqualTo(botA);
      assertThat(stored.content()).isEqualTo("c");
    }

    @Test
    void mint_forACommandTheBotLacks_is400NamingIt() {
      store.deleteCommand(botA, "*");
      store.putCommand(botA, "/pay", List.of("/buy"), "Bot.sendMessage(1)");

      assertError(postJson(a("/webhooks"), "{\"command\":\"/nope\"}"), 400, "'/nope' is not a command");
      assertThat(postJson(a("/webhooks"), "{\"command\":\"/pay 5 coins\"}").status()).isEqualTo(201);
      assertThat(postJson(a("/webhooks"), "{\"command\":\"/buy\"}").status()).isEqualTo(201);
    }

    @Test
    void mint_nonAsciiRedirectHost_is400SayingSo() {
      assertError(
          postJson(a("/webhooks"), "{\"command\":\"/g\",\"redirect_to\":\"https://café.example/x\"}"),
          400,
          "host must be ASCII");
      assertThat(
              postJson(a("/webhooks"),
                  "{\"command\":\"/g\",\"redirect_to\":\"https://xn--caf-dma.example/café\"}")
                  .status())
          .isEqualTo(201);
    }

    @Test
    void mint_globalHook_hasNullOptionalFields() {
      JsonNode h = postJson(a("/webhooks"), "{\"command\":\"/g\"}").json();
      assertThat(h.get("user_id").isNull()).isTrue();
      assertThat(h.get("redirect_to").isNull()).isTrue();
      assertThat(h.get("expires_at").isNull()).isTrue();
    }

    @Test
    void mint_usesPublicBaseUrlWhenSet() {
      Settings s = settings();
      Settings withBase = new Settings(s.tableName(), s.dynamoDbEndpoint(), s.region(),
          s.adminKey(), Optional.of("https://hooks.example.org/prod"), "", s.limits());
      JsonNode h = client(withBase).call("POST", a("/webhooks")).key(keyA)
          .json("{\"command\":\"/x\"}").send().json();
      assertThat(h.get("url").asText())
          .isEqualTo("https://hooks.example.org/prod/hooks/" + h.get("id").asText());
    }

    @Test
    void mint_userIdAsANumberOrNumericString_answersItAsScriptsSeeIt() {
      Reply byNumber = postJson(a("/webhooks"), "{\"command\":\"/x\",\"user_id\":8}");
      assertThat(byNumber.status()).isEqualTo(201);
      assertThat(byNumber.json().get("user_id").isNumber()).isTrue();
      assertThat(byNumber.json().get("user_id").asLong()).isEqualTo(8);
      Reply byText = postJson(a("/webhooks"), "{\"command\":\"/x\",\"user_id\":\"8\"}");
      assertThat(byText.json().get("user_id").toString()).isEqualTo("8");
      Reply padded = postJson(a("/webhooks"), "{\"command\":\"/x\",\"user_id\":\"08\"}");
      assertThat(padded.json().get("user_id").toString()).isEqualTo("\"08\"");
    }

    @Test
    void mint_wrongTypes_return400NamingTheField() {
      assertError(postJson(a("/webhooks"), "{}"), 400, "command");
      assertError(postJson(a("/webhooks"), "{\"command\": 5}"), 400, "command");
      assertError(postJson(a("/webhooks"), "{\"command\": \"  \"}"), 400, "command");
      assertError(postJson(a("/webhooks"), "{\"command\":\"/x\",\"content\":5}"), 400, "content");
      assertError(postJson(a("/webhooks"), "{\"command\":\"/x\",\"content\":{}}"), 400, "content");
      assertError(postJson(a("/webhooks"), "{\"command\":\"/x\",\"user_id\":7.5}"), 400,
          "user_id");
      assertError(postJson(a("/webhooks"), "{\"command\":\"/x\",\"user_id\":true}"), 400,
          "user_id");
      assertError(postJson(a("/webhooks"), "{\"command\":\"/x\",\"redirect_to\":true}"), 400,
          "redirect_to");
      assertError(postJson(a("/webhooks"), "{\"command\":\"/x\",\"expires_in\":\"60\"}"), 400,
          "expires_in");
      assertError(postJson(a("/webhooks"), "{\"command\":\"/x\",\"expires_in\":1.5}"), 400,
          "expires_in");
      assertError(postJson(a("/webhooks"), "{\"command\":\"/x\",\"expires_in\":1e400}"), 400,
          "expires_in");
      assertError(
          postJson(a("/webhooks"), "{\"command\":\"/x\",\"expires_in\":99999999999999999999}"),
          400,
          "expires_in");
    }

    @Test
    void mint_wholeFloatExpiresIn_isAccepted() {
      assertThat(postJson(a("/webhooks"), "{\"command\":\"/x\",\"expires_in\":60.0}").status())
          .isEqualTo(201);
    }

    @Test
    void mint_rulesOfTheMinter_return400() {
      assertError(postJson(a("/webhooks"), "{\"command\":\"" + "c".repeat(1025) + "\"}"), 400,
          "command");
      assertError(postJson(a("/webhooks"), "{\"command\":\"/x\",\"user_id\":\"a b\"}"), 400,
          "user_id");
      assertError(postJson(a("/webhooks"), "{\"command\":\"/x\",\"expires_in\":0}"), 400,
          "expires_in");
      assertError(postJson(a("/webhooks"), "{\"command\":\"/x\",\"expires_in\":-5}"), 400,
          "expires_in");
      assertError(postJson(a("/webhooks"),
          "{\"command\":\"/x\",\"content\":\"" + "c".repeat(65537) + "\"}"), 400, "content");
      for (String url : List.of("ftp://example.com/", "/relative", "javascript:alert(1)",
          "https://user:pw@example.com/", "https://example.com/a\\u0000b",
          "https://example.com/a b", "https://example.com/\\n", "http://x.example:99999/",
          "https://x.example:65536/", "http://x.example:0/", "https://example.com/\\ud800",
          "https://example.com/\\udc00x", "https://example.com/\\ude00\\ud83d")) {
        assertError(postJson(a("/webhooks"),
            "{\"command\":\"/x\",\"redirect_to\":\"" + url + "\"}"), 400, "redirect_to");
      }
    }

    @Test
    void mint_deliveryKey_isStoredAndShown() {
      JsonNode h =
          postJson(a("/webhooks"), "{\"command\":\"/pay\",\"delivery_key\":\"body.order.id\"}")
              .json();
      assertThat(h.get("delivery_key").asText()).isEqualTo("body.order.id");
      assertThat(store.webhook(h.get("id").asText()).orElseThrow().delivery().orElseThrow().path())
          .containsExactly("order", "id");
      JsonNode byHeader =
          postJson(a("/webhooks"), "{\"command\":\"/pay\",\"delivery_key\":\"header.X-Txn\"}")
              .json();
      assertThat(store.webhook(byHeader.get("id").asText()).orElseThrow().delivery())
          .hasValueSatisfying(k -> assertThat(k.header()).isTrue());
      assertThat(postJson(a("/webhooks"), "{\"command\":\"/g\"}").json().get("delivery_key").isNull())
          .isTrue();
    }

    @Test
    void mint_badDeliveryKey_returns400NamingIt() {
      for (String key : List.of("order_id", "body.", "body.a..b", "header.", "header.a b",
          "query.x", "body." + "x".repeat(300))) {
        assertError(postJson(a("/webhooks"),
            "{\"command\":\"/x\",\"delivery_key\":\"" + key + "\"}"), 400, "delivery_key");
      }
      assertError(postJson(a("/webhooks"), "{\"command\":\"/x\",\"delivery_key\":5}"), 400,
          "delivery_key");
    }

    @Test
    void mint_unknownField_returns400() {
      assertError(postJson(a("/webhooks"), "{\"command\":\"/x\",\"redirect_url\":\"x\"}"), 400,
          "redirect_url");
    }

    @Test
    void mint_thousandIds_areDistinctAndPageBackExactlyOnce() {
      Set<String> minted = new HashSet<>();
      for (int i = 0; i < 1000; i++) {
        if (i % 7 == 0) {
          clock.advance(Duration.ofMillis(1));
        }
        Reply r = postJson(a("/webhooks"), "{\"command\":\"/x " + i + "\"}");
        assertThat(r.status()).isEqualTo(201);
        minted.add(r.json().get("id").asText());
      }
      assertThat(minted).hasSize(1000);
      List<JsonNode> listed = readAll(a("/webhooks"), 100);
      List<String> ids = listed.stream().map(n -> n.get("id").asText()).toList();
      assertThat(ids).hasSize(1000).doesNotHaveDuplicates();
      assertThat(new HashSet<>(ids)).isEqualTo(minted);
      List<String> created = listed.stream().map(n -> n.get("created_at").asText()).toList();
      List<String> newestFirst = new ArrayList<>(created);
      newestFirst.sort((x, y) -> Instant.parse(y).compareTo(Instant.parse(x)));
      assertThat(created).isEqualTo(newestFirst);
    }

    @Test
    void list_entriesHaveMintFieldsAndCreatedAt() {
      String id = postJson(a("/webhooks"), "{\"command\":\"/x\",\"user_id\":\"u\"}").json()
          .get("id").asText();
      JsonNode item = get(a("/webhooks")).json().get("items").get(0);
      assertThat(item.get("id").asText()).isEqualTo(id);
      assertThat(item.get("url").asText()).endsWith("/hooks/" + id);
      assertThat(item.get("created_at").asText()).isEqualTo(START.toString());
      List<String> fields = new ArrayList<>();
      item.fieldNames().forEachRemaining(fields::add);
      assertThat(fields).containsExactlyInAnyOrder(
          "id", "url", "command", "user_id", "redirect_to", "expires_at", "created_at",
          "delivery_key");
    }

    @Test
    void expiredHook_stillLists_butRevokeRemovesIt() {
      String id = postJson(a("/webhooks"), "{\"command\":\"/x\",\"expires_in\":60}").json()
          .get("id").asText();
      clock.advance(Duration.ofMinutes(5));
      JsonNode item = get(a("/webhooks")).json().get("items").get(0);
      assertThat(item.get("id").asText()).isEqualTo(id);
      assertThat(Instant.parse(item.get("expires_at").asText())).isBefore(clock.instant());
      assertThat(delete(a("/webhooks/" + id)).status()).isEqualTo(204);
      assertThat(get(a("/webhooks")).json().get("items").size()).isZero();
      assertThat(store.webhook(id)).isEmpty();
      assertError(delete(a("/webhooks/" + id)), 404);
    }

    @Test
    void revoke_unknownOrMalformedId_returns404() {
      assertError(delete(a("/webhooks/AAAAAAAAAAAAAAAAAAAAAA")), 404);
      assertError(delete(a("/webhooks/short")), 404);
      assertError(delete(a("/webhooks/%2F..%2F")), 404);
    }

    @Test
    void list_badLimitOrCursor_returns400() {
      for (String q : List.of("limit=0", "limit=101", "limit=abc", "limit=-1", "limit=1.5",
          "limit=", "limit=99999999999")) {
        assertError(get(a("/webhooks?" + q)), 400, "limit");
      }
      assertError(get(a("/webhooks?cursor=%25%25%25")), 400, "cursor");
      assertError(get(a("/webhooks?cursor=")), 400, "cursor");
    }
  }

  @Nested
  class Properties {
    @Test
    void floatOutOfRange_is400() {
      assertError(putJson(a("/properties/f"), "{\"value\": 1e400, \"type\": \"float\"}"), 400,
          "out of range for type float");
      assertError(putJson(a("/properties/f"), "{\"value\": -1e400, \"type\": \"float\"}"), 400,
          "out of range");
      assertThat(putJson(a("/properties/f"), "{\"value\": 1e300, \"type\": \"float\"}").status())
          .isEqualTo(200);
      // Nor in a json value, where it was kept as Infinity and read back differently per store.
      assertError(putJson(a("/properties/j"), "{\"value\": {\"a\": [1, -1e400]}, \"type\": \"json\"}"),
          400, "out of range for a json property");
      assertThat(putJson(a("/properties/j"), "{\"value\": {\"a\": [1, 1e300]}}").status())
          .isEqualTo(200);
    }

    @Test
    void putGetDelete_botProperty() {
      Reply put = putJson(a("/properties/balance"), "{\"value\": 10, \"type\": \"integer\"}");
      assertThat(put.status()).isEqualTo(200);
      assertThat(put.json().toString())
          .isEqualTo("{\"name\":\"balance\",\"value\":10,\"type\":\"integer\"}");
      assertThat(get(a("/properties/balance")).json().toString())
          .isEqualTo("{\"name\":\"balance\",\"value\":10,\"type\":\"integer\"}");
      assertThat(delete(a("/properties/balance")).status()).isEqualTo(204);
      assertError(get(a("/properties/balance")), 404, "balance");
      assertError(delete(a("/properties/balance")), 404);
    }

    @Test
    void userProperty_isSeparateFromBotProperty() {
      putJson(a("/properties/p"), "{\"value\": \"bot\"}");
      putJson(a("/users/u1/properties/p"), "{\"value\": \"user\"}");
      assertThat(get(a("/properties/p")).json().get("value").asText()).isEqualTo("bot");
      assertThat(get(a("/users/u1/properties/p")).json().get("value").asText()).isEqualTo("user");
      assertError(get(a("/users/u2/properties/p")), 404);
      assertThat(store.property(PropertyKey.ofUser(botA, "u1", "p"))).isPresent();
      assertThat(delete(a("/users/u1/properties/p")).status()).isEqualTo(204);
      assertThat(get(a("/properties/p")).status()).isEqualTo(200);
    }

    @Test
    void propertyName_isPercentDecoded() {
      putJson(a("/properties/my%20balance%2Fusd"), "{\"value\": 1}");
      assertThat(store.property(PropertyKey.ofBot(botA, "my balance/usd"))).isPresent();
    }

    @Test
    void typeIsInferredWhenAbsent() {
      assertThat(type("1")).isEqualTo("integer");
      assertThat(type("1.5")).isEqualTo("float");
      assertThat(type("\"s\"")).isEqualTo("string");
      assertThat(type("true")).isEqualTo("boolean");
      assertThat(type("{\"a\": [1]}")).isEqualTo("json");
      assertThat(type("[1, 2]")).isEqualTo("json");
    }

    private String type(String value) {
      return putJson(a("/properties/t"), "{\"value\": " + value + "}").json().get("type").asText();
    }

    @Test
    void valueMustMatchType() {
      assertThat(put("5.0", "integer").get("value").asLong()).isEqualTo(5);
      assertThat(put("5", "float").get("value").asDouble()).isEqualTo(5.0);
      assertThat(put("\"hi\"", "text").get("type").asText()).isEqualTo("text");
      assertThat(put("\"2030-01-02T03:04:05Z\"", "datetime").get("type").asText())
          .isEqualTo("datetime");
      assertThat(put("\"2030-01-02T03:04:05+02:00\"", "datetime").get("type").asText())
          .isEqualTo("datetime");
      assertThat(put("\"2030-01-02\"", "datetime").get("type").asText()).isEqualTo("datetime");
      assertThat(put("null", "json")).isNull();
      assertThat(put("\"x\"", "JSON").get("type").asText()).isEqualTo("json");
      badValue("5.5", "integer", "whole number");
      badValue("\"5\"", "integer", "whole number");
      badValue("\"5\"", "float", "number");
      badValue("5", "string", "string");
      badValue("{}", "text", "string");
      badValue("\"true\"", "boolean", "boolean");
      badValue("1", "boolean", "boolean");
      badValue("\"yesterday\"", "datetime", "ISO-8601");
      badValue("1700000000", "datetime", "ISO-8601");
      badValue("1", "decimal", "type must be one of");
      assertError(putJson(a("/properties/t"), "{\"value\": 1, \"type\": 5}"), 400, "type");
    }

    private JsonNode put(String value, String type) {
      Reply r = putJson(a("/properties/t"),
          "{\"value\": " + value + ", \"type\": \"" + type + "\"}");
      return r.status() == 200 ? r.json() : null;
    }

    private void badValue(String value, String type, String fragment) {
      assertError(putJson(a("/properties/t"),
          "{\"value\": " + value + ", \"type\": \"" + type + "\"}"), 400, fragment);
    }

    @Test
    void valueMissingOrNull_returns400() {
      assertError(putJson(a("/properties/t"), "{}"), 400, "value");
      assertError(putJson(a("/properties/t"), "{\"value\": null}"), 400, "value", "DELETE");
      assertError(putJson(a("/properties/t"), "{\"value\": 1, \"kind\": \"x\"}"), 400, "kind");
    }

    @Test
    void valueOverMaxPropertyBytes_returns413() {
      Settings small = settings().withLimits(limits(l -> new Settings.Limits(
          l.scriptTime(), l.maxBodyBytes(), l.maxMessages(), l.maxMessageChars(),
          l.maxRunDepth(), l.maxRuns(), 20, l.rateLimitPerMinute(), l.maxOutboxBytes())));
      ApiClient smallApi = client(small);
      Reply r = smallApi.call("PUT", a("/properties/t")).key(keyA)
          .json("{\"value\": \"" + "x".repeat(19) + "\"}").send();
      assertError(r, 413, "MAX_PROPERTY_BYTES");
      Reply ok = smallApi.call("PUT", a("/properties/t")).key(keyA)
          .json("{\"value\": \"" + "x".repeat(18) + "\"}").send();
      assertThat(ok.status()).isEqualTo(200);
    }

    @Test
    void badNames_return400() {
      assertError(putJson(a("/properties/a%01b"), "{\"value\": 1}"), 400, "property name");
      assertError(putJson(a("/properties/" + "p".repeat(257)), "{\"value\": 1}"), 400,
          "property name");
      assertError(putJson(a("/users/bad%20user/properties/p"), "{\"value\": 1}"), 400, "user_id");
      assertError(get(a("/users/" + "u".repeat(65) + "/properties/p")), 400, "user_id");
    }

    @Test
    void putProperty_textContentType_returns415() {
      Reply r = api.call("PUT", a("/properties/t")).key(keyA).text("{\"value\": 1}").send();
      assertError(r, 415);
    }
  }

  @Nested
  class Users {
    @Test
    void putUser_registersThenMergesFields() {
      Reply r = putJson(a("/users/u1"),
          "{\"telegramid\": 123456789, \"first_name\": \"Ann\", \"username\": \"ann\"}");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.json().toString()).isEqualTo("{\"id\":\"u1\",\"telegramid\":123456789,"
          + "\"first_name\":\"Ann\",\"last_name\":null,\"username\":\"ann\"}");
      JsonNode updated = putJson(a("/users/u1"), "{\"last_name\": \"Lee\", \"username\": null}")
          .json();
      assertThat(updated.get("first_name").asText()).isEqualTo("Ann");
      assertThat(updated.get("last_name").asText()).isEqualTo("Lee");
      assertThat(updated.get("username").isNull()).isTrue();
      var stored = store.user(botA, "u1").orElseThrow();
      assertThat(stored.telegramId()).isEqualTo("123456789");
      assertThat(stored.lastName()).isEqualTo("Lee");
      assertThat(get(a("/users/u1")).json()).isEqualTo(updated);
    }

    @Test
    void putUser_emptyBodyObject_registersUnknownUser() {
      assertThat(putJson(a("/users/u2"), "{}").status()).isEqualTo(200);
      assertThat(store.user(botA, "u2")).isPresent();
    }

    @Test
    void getUser_unknown_returns404() {
      assertError(get(a("/users/nobody")), 404);
    }

    @Test
    void putUser_badFields_return400() {
      assertError(putJson(a("/users/bad%20id"), "{}"), 400, "user_id");
      assertError(putJson(a("/users/u1"), "{\"telegramid\": 1.5}"), 400, "telegramid");
      assertError(putJson(a("/users/u1"), "{\"telegramid\": \"12a\"}"), 400, "telegramid");
      assertError(putJson(a("/users/u1"), "{\"first_name\": 5}"), 400, "first_name");
      assertError(putJson(a("/users/u1"), "{\"last_name\": \"a\\nb\"}"), 400, "last_name");
      assertError(putJson(a("/users/u1"), "{\"username\": \"" + "u".repeat(257) + "\"}"), 400,
          "username");
      assertError(putJson(a("/users/u1"), "{\"id\": \"u9\"}"), 400, "unknown field 'id'");
      assertThat(putJson(a("/users/u1"), "{\"telegramid\": \"-100123\"}").status())
          .isEqualTo(200);
    }
  }

  @Nested
  class Logs {
    OutboxEntry message(String userId, String text, Instant at) {
      return new OutboxEntry(ids.timeOrderedId(at), botA, userId, OutboxEntry.Kind.MESSAGE, text,
          null, null, null, "hook1234567890abcdef", at);
    }

    void commit(List<OutboxEntry> entries) {
      store.commit(new Commit(botA, List.of(), List.of(), entries, ids.randomId()));
    }

    @Test
    void messages_newestFirstWithExactShape() {
      Instant t1 = START;
      Instant t2 = START.plusSeconds(1);
      var params = JsonNodeFactory.instance.objectNode().put("chat_id", 5);
      var keyboard = JsonNodeFactory.instance.arrayNode().add("Yes");
      commit(List.of(
          new OutboxEntry(ids.timeOrderedId(t1), botA, "u1", OutboxEntry.Kind.MESSAGE, "hello",
              keyboard, null, null, "hook1234567890abcdef", t1),
          new OutboxEntry(ids.timeOrderedId(t2), botA, null, OutboxEntry.Kind.API_CALL, null,
              null, "sendPhoto", params, null, t2)));
      JsonNode items = get(a("/messages")).json().get("items");
      assertThat(items.size()).isEqualTo(2);
      JsonNode call = items.get(0);
      assertThat(call.get("kind").asText()).isEqualTo("api_call");
      assertThat(call.get("method").asText()).isEqualTo("sendPhoto");
      assertThat(call.get("params").get("chat_id").asInt()).isEqualTo(5);
      assertThat(call.get("user_id").isNull()).isTrue();
      JsonNode msg = items.get(1);
      List<String> fields = new ArrayList<>();
      msg.fieldNames().forEachRemaining(fields::add);
      assertThat(fields).containsExactly("id", "user_id", "kind", "text", "keyboard", "method",
          "params", "hook_id", "created_at");
      assertThat(msg.get("kind").asText()).isEqualTo("message");
      assertThat(msg.get("text").asText()).isEqualTo("hello");
      assertThat(msg.get("keyboard").get(0).asText()).isEqualTo("Yes");
      assertThat(msg.get("method").isNull()).isTrue();
      assertThat(msg.get("hook_id").asText()).isEqualTo("hook1234567890abcdef");
      assertThat(msg.get("created_at").asText()).isEqualTo("2030-01-02T03:04:05Z");
    }

    @Test
    void messages_filterByUser() {
      commit(List.of(message("u1", "one", START), message("u2", "two", START.plusSeconds(1))));
      JsonNode items = get(a("/messages?user_id=u1")).json().get("items");
      assertThat(items.size()).isEqualTo(1);
      assertThat(items.get(0).get("text").asText()).isEqualTo("one");
      assertError(get(a("/messages?user_id=bad%20id")), 400, "user_id");
    }

    @Test
    void messages_pageExactlyOnceWithDefaultLimit50() {
      List<OutboxEntry> entries = new ArrayList<>();
      for (int i = 0; i < 120; i++) {
        entries.add(message("u1", "m" + i, START.plusMillis(i)));
      }
      commit(entries);
      JsonNode first = get(a("/messages")).json();
      assertThat(first.get("items").size()).isEqualTo(50);
      assertThat(first.get("items").get(0).get("text").asText()).isEqualTo("m119");
      assertThat(first.get("next_cursor").isTextual()).isTrue();
      List<JsonNode> all = readAll(a("/messages"), 7);
      assertThat(all).extracting(n -> n.get("text").asText()).hasSize(120).doesNotHaveDuplicates()
          .startsWith("m119", "m118").endsWith("m1", "m0");
    }

    @Test
    void errors_newestFirstWithExactShape() {
      store.logError(new ErrorEntry(ids.timeOrderedId(START), botA, "hook1234567890abcdef",
          "/pay", "Error: boom", "MAX_RUNS", "req-9", START));
      store.logError(new ErrorEntry(ids.timeOrderedId(START.plusSeconds(1)), botA, null,
          "/other", "later", null, "req-10", START.plusSeconds(1)));
      JsonNode page = get(a("/errors")).json();
      assertThat(page.get("next_cursor").isNull()).isTrue();
      JsonNode items = page.get("items");
      assertThat(items.get(0).get("message").asText()).isEqualTo("later");
      JsonNode e = items.get(1);
      List<String> fields = new ArrayList<>();
      e.fieldNames().forEachRemaining(fields::add);
      assertThat(fields).containsExactly("id", "hook_id", "command", "message", "limit",
          "request_id", "created_at");
      assertThat(e.get("hook_id").asText()).isEqualTo("hook1234567890abcdef");
      assertThat(e.get("command").asText()).isEqualTo("/pay");
      assertThat(e.get("limit").asText()).isEqualTo("MAX_RUNS");
      assertThat(e.get("request_id").asText()).isEqualTo("req-9");
      assertThat(e.get("created_at").asText()).isEqualTo("2030-01-02T03:04:05Z");
      assertThat(items.get(0).get("limit").isNull()).isTrue();
    }

    @Test
    void errors_ofAnotherBot_areNotListed() {
      store.logError(new ErrorEntry(ids.timeOrderedId(START), botB, null, "/x", "b's", null,
          "r", START));
      assertThat(get(a("/errors")).json().get("items").size()).isZero();
    }

    @Test
    void logs_badLimit_returns400() {
      assertError(get(a("/errors?limit=0")), 400, "limit");
      assertError(get(a("/messages?limit=101")), 400, "limit");
      assertThat(get(a("/messages?limit=100")).status()).isEqualTo(200);
    }
  }

  @Nested
  class Owners {
    List<JsonNode> allBots() {
      List<JsonNode> all = new ArrayList<>();
      String cursor = null;
      do {
        Reply r =
            api.call("GET", "/bots?limit=100" + (cursor == null ? "" : "&cursor=" + cursor))
                .key(ADMIN_KEY)
                .send();
        assertThat(r.status()).isEqualTo(200);
        r.json().get("items").forEach(all::add);
        cursor = r.json().get("next_cursor").isNull() ? null : r.json().get("next_cursor").asText();
      } while (cursor != null);
      return all;
    }

    @Test
    void listProperties_ofBotAndOfUser_byName_inPages() {
      for (String name : List.of("d", "b", "a", "e", "c")) {
        putJson(a("/properties/" + name), "{\"value\": \"" + name + "\"}");
      }
      putJson(a("/users/u1/properties/score"), "{\"value\": 3, \"type\": \"integer\"}");
      delete(a("/properties/e"));

      List<JsonNode> bot = readAll(a("/properties"), 2);
      List<JsonNode> user = readAll(a("/users/u1/properties"), 2);

      assertThat(bot).extracting(p -> p.get("name").asText()).containsExactly("a", "b", "c", "d");
      assertThat(bot.getFirst().toString())
          .isEqualTo("{\"name\":\"a\",\"value\":\"a\",\"type\":\"string\"}");
      assertThat(user).extracting(JsonNode::toString)
          .containsExactly("{\"name\":\"score\",\"value\":3,\"type\":\"integer\"}");
      assertThat(readAll(a("/users/nobody/properties"), 10)).isEmpty();
    }

    /** {@code ?user_id=} names the user as the messages listing takes it, or as the path does. */
    @Test
    void listProperties_ofAUser_byTheQuery_asByThePath() {
      putJson(a("/properties/p"), "{\"value\": \"bot\"}");
      putJson(a("/users/u1/properties/score"), "{\"value\": 3, \"type\": \"integer\"}");

      assertThat(readAll(a("/properties?user_id=u1"), 10))
          .extracting(JsonNode::toString)
          .containsExactly("{\"name\":\"score\",\"value\":3,\"type\":\"integer\"}");
      assertThat(readAll(a("/users/u1/properties?user_id=u1"), 10)).hasSize(1);
      assertThat(readAll(a("/properties"), 10))
          .extracting(p -> p.get("name").asText())
          .containsExactly("p");
      assertError(get(a("/properties?user_id=a%20b")), 400, "user_id");
      assertError(get(a("/users/u1/properties?user_id=u2")), 400, "user_id");
    }

    @Test
    void listProperties_badPaging_is400_anotherBotsKey_is404() {
      assertError(get(a("/properties?limit=0")), 400, "limit");
      assertError(get(a("/properties?limit=101")), 400, "limit");
      assertError(get(a("/properties?cursor=bm90LW91cnM")), 400, "cursor");
      assertError(get(a("/users/u1/properties?cursor=bm90LW91cnM")), 400, "cursor");
      assertError(api.call("GET", "/bots/" + botB + "/properties").key(keyA).send(), 404);
    }

    @Test
    void listBots_adminOnly_listsEachBotOnce_withoutKeys() {
      List<JsonNode> bots = allBots();
      assertThat(bots).extracting(b -> b.get("id").asText()).contains(botA, botB).doesNotHaveDuplicates();
      JsonNode a = bots.stream().filter(b -> b.get("id").asText().equals(botA)).findFirst().orElseThrow();
      assertThat(a.get("name").asText()).isEqualTo("Bot A");
      assertThat(a.toString()).doesNotContain(keyA).doesNotContain(ApiKeys.sha256Hex(keyA));
      assertError(api.call("GET", "/bots").key(keyA).send(), 403, "admin key");
      assertError(api.call("GET", "/bots").send(), 401);
    }

    @Test
    void deleteBot_adminOnly_theBotItsKeyAndRoutesAreGone() {
      assertError(api.call("DELETE", "/bots/" + botB).key(keyB).send(), 403, "admin key");

      assertThat(api.call("DELETE", "/bots/" + botB).key(ADMIN_KEY).send().status()).isEqualTo(204);

      assertError(api.call("GET", "/bots/" + botB + "/commands").key(keyB).send(), 401);
      assertError(api.call("GET", "/bots/" + botB + "/commands").key(ADMIN_KEY).send(), 404);
      assertError(api.call("DELETE", "/bots/" + botB).key(ADMIN_KEY).send(), 404, "no such bot");
      assertError(api.call("DELETE", "/bots/not%20an%20id").key(ADMIN_KEY).send(), 404);
      assertThat(allBots()).extracting(b -> b.get("id").asText()).contains(botA).doesNotContain(botB);
      assertThat(get(a("/commands")).status()).isEqualTo(200);
    }

    @Test
    void rotateKey_newKeyShownOnce_oldKeyFailsAtOnce() {
      Reply r = api.call("POST", a("/api-key")).key(keyA).send();
      assertThat(r.status()).isEqualTo(200);
      String newKey = r.json().get("api_key").asText();
      assertThat(r.json().get("id").asText()).isEqualTo(botA);
      assertThat(newKey).startsWith(botA + ".").isNotEqualTo(keyA);
      assertThat(store.bot(botA).orElseThrow().apiKeyHash()).isEqualTo(ApiKeys.sha256Hex(newKey));

      assertError(get(a("/commands")), 401, "not valid");
      assertThat(api.call("GET", a("/commands")).key(newKey).send().status()).isEqualTo(200);
      assertError(api.call("POST", "/bots/" + botB + "/api-key").key(newKey).send(), 404);
      Reply byAdmin = api.call("POST", "/bots/" + botB + "/api-key").key(ADMIN_KEY).send();
      assertThat(byAdmin.status()).isEqualTo(200);
      assertError(api.call("GET", "/bots/" + botB + "/commands").key(keyB).send(), 401);
    }
  }
}
