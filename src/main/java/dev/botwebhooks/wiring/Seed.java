package dev.botwebhooks.wiring;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.botapi.ApiKeys;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.Bot;
import dev.botwebhooks.core.BotUser;
import dev.botwebhooks.core.Commit;
import dev.botwebhooks.core.HttpCall;
import dev.botwebhooks.core.ScheduledRun;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.core.Webhook;
import dev.botwebhooks.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the sample events refer to ({@code events/seed.json}: an admin key, and bots with their API
 * key, users, commands, hooks, due scheduled runs and the outbound calls a commit kept, as the
 * queue's sample message carries them), loaded into the embedded store before an
 * event runs through {@code invoke.sh}; README "Running locally".
 */
public final class Seed {
  private static final String BASE_URL = "http://localhost";

  private final JsonNode tree;

  private Seed(JsonNode tree) {
    this.tree = tree;
  }

  /**
   * Reads a seed file.
   *
   * @throws IllegalArgumentException when it is not a JSON object
   */
  public static Seed read(Path file) {
    try {
      JsonNode tree = Json.MAPPER.readTree(Files.readAllBytes(file));
      if (tree == null || !tree.isObject()) {
        throw new IllegalArgumentException("seed " + file + " is not a JSON object");
      }
      return new Seed(tree);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read seed " + file, e);
    }
  }

  /** The settings with the seed's admin key, unless {@code ADMIN_KEY} chose one. */
  Settings applyTo(Settings settings) {
    Optional<String> key = Optional.ofNullable(tree.path("admin_key").textValue());
    if (settings.adminKey().isPresent() || key.isEmpty()) {
      return settings;
    }
    return new Settings(
        settings.tableName(),
        settings.dynamoDbEndpoint(),
        settings.region(),
        key,
        settings.publicBaseUrl(),
        settings.ipAllowlist(),
        settings.limits(),
        settings.deliveryRetention(),
        settings.hitLog());
  }

  /** Writes everything into the store; scheduled runs are due now, kept calls when their ids say. */
  public void loadInto(Store store, Clock clock) {
    Instant now = clock.instant();
    for (JsonNode b : tree.path("bots")) {
      String botId = b.path("id").asText();
      store.createBot(
          new Bot(botId, b.path("name").asText(botId), ApiKeys.sha256Hex(b.path("api_key").asText()),
              0, now));
      for (JsonNode u : b.path("users")) {
        store.putUser(
            new BotUser(
                botId,
                u.path("id").asText(),
                u.path("telegramid").textValue(),
                u.path("first_name").textValue(),
                u.path("last_name").textValue(),
                u.path("username").textValue()));
      }
      for (Map.Entry<String, JsonNode> c : b.path("commands").properties()) {
        store.putCommand(botId, c.getKey(), List.of(), c.getValue().asText());
      }
      String lastHook = null;
      for (JsonNode h : b.path("webhooks")) {
        lastHook = h.path("id").asText();
        store.putWebhook(
            new Webhook(
                lastHook,
                botId,
                h.path("command").asText(),
                h.path("user_id").textValue(),
                h.path("content").textValue(),
                null,
                null,
                now));
      }
      int n = 0;
      for (JsonNode r : b.path("due_runs")) {
        store.scheduleRun(
            new ScheduledRun(
                "seed-" + botId + "-" + ++n,
                botId,
                lastHook,
                r.path("command").asText(),
                Json.object(),
                r.path("user_id").textValue(),
                now.minusSeconds(1),
                r.path("label").textValue(),
                BASE_URL));
      }
      List<HttpCall> calls = new ArrayList<>();
      for (JsonNode c : b.path("kept_calls")) {
        calls.add(httpCall(c));
      }
      if (!calls.isEmpty()) {
        store.commit(
            new Commit(botId, List.of(), List.of(), List.of(), "seed-calls-" + botId)
                .withCalls(calls));
      }
    }
  }

  /**
   * A kept call as the queue's message carries it, read field by field like the rest of the seed
   * (binding the record would load about 260 more classes before every sample's first answer).
   */
  private static HttpCall httpCall(JsonNode c) {
    JsonNode r = c.path("request");
    Map<String, String> headers = new LinkedHashMap<>();
    r.path("headers").properties().forEach(h -> headers.put(h.getKey(), h.getValue().asText()));
    return new HttpCall(
        c.path("id").asText(),
        c.path("botId").asText(),
        c.path("hookId").textValue(),
        c.path("userId").textValue(),
        c.path("baseUrl").asText(),
        new HttpCall.Request(
            r.path("method").asText(),
            r.path("url").asText(),
            headers,
            r.path("body").textValue(),
            r.path("followRedirects").asBoolean(),
            r.path("success").textValue(),
            r.path("error").textValue(),
            r.path("options").isObject() ? r.path("options") : Json.object(),
            r.path("gitImport").asBoolean()));
  }
}
