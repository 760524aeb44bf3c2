package dev.botwebhooks.botapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.core.Bot;
import dev.botwebhooks.core.BotStore;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.Ids;
import dev.botwebhooks.http.HttpResponse;
import dev.botwebhooks.json.Json;
import java.time.Clock;
import java.util.Set;

/**
 * {@code /bots}: creates a bot and shows its API key this once, lists and deletes bots (admin key
 * only), and replaces a bot's key, showing the new one once.
 */
final class BotRoutes {
  private static final Set<String> FIELDS = Set.of("name");

  private final BotStore store;
  private final IdGenerator ids;
  private final ApiKeys keys;
  private final Clock clock;

  BotRoutes(BotStore store, IdGenerator ids, ApiKeys keys, Clock clock) {
    this.store = store;
    this.ids = ids;
    this.keys = keys;
    this.clock = clock;
  }

  HttpResponse create(ApiCall call) {
    ObjectNode body = call.jsonObject();
    Fields.requireOnly(body, FIELDS);
    String name = Fields.requiredString(body, "name");
    if (name.isBlank()) {
      throw ApiException.badRequest("name must not be blank");
    }
    Fields.requireLabel("name", name);
    String id = ids.randomId();
    String key = keys.newKey(id);
    store.createBot(new Bot(id, name, ApiKeys.sha256Hex(key), 0, clock.instant()));
    ObjectNode out = Json.object();
    out.put("id", id);
    out.put("name", name);
    out.put("api_key", key);
    return HttpResponse.json(201, out);
  }

  HttpResponse list(ApiCall call) {
    return HttpResponse.json(200, Shapes.page(store.bots(call.page()), Shapes::bot));
  }

  /** What goes with the bot is in README "The bot API" (deleting a bot). */
  HttpResponse delete(ApiCall call) {
    String botId = call.param("botId");
    if (!Ids.isBotId(botId) || !store.deleteBot(botId)) {
      throw ApiException.notFound("no such bot");
    }
    return Responses.noContent();
  }

  /** A new key at once: the old one is refused from the next call on. */
  HttpResponse rotateKey(ApiCall call) {
    String key = keys.newKey(call.botId());
    if (!store.replaceApiKeyHash(call.botId(), ApiKeys.sha256Hex(key))) {
      throw ApiException.notFound("no such bot");
    }
    ObjectNode out = Json.object();
    out.put("id", call.botId());
    out.put("api_key", key);
    return HttpResponse.json(200, out);
  }
}
