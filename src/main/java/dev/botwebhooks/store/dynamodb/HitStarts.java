package dev.botwebhooks.store.dynamodb;

import static dev.botwebhooks.store.dynamodb.Attributes.str;
import static dev.botwebhooks.store.dynamodb.Keys.BOT_SK;
import static dev.botwebhooks.store.dynamodb.Keys.PK;
import static dev.botwebhooks.store.dynamodb.Keys.botPk;
import static dev.botwebhooks.store.dynamodb.Keys.key;

import dev.botwebhooks.core.BotStore.BotAndUser;
import dev.botwebhooks.core.RateCharge;
import dev.botwebhooks.core.Store.HitStart;
import dev.botwebhooks.core.Webhook;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What a webhook hit reads before its command runs ({@code Store.startHit}): the client's rate
 * count so far, the hook, its bot and its user.
 */
final class HitStarts {
  private final Table table;
  private final WebhookRecords webhooks;
  private final HookRoutes routes = new HookRoutes();

  HitStarts(Table table, WebhookRecords webhooks) {
    this.table = table;
    this.webhooks = webhooks;
  }

  /**
   * Once this process has seen the hook, its bot and user (which never change) are known, and the
   * hook, bot, user and the client's rate counter come back in one BatchGetItem: a warm hit's
   * reads are one request. The first hit of a hook in a process reads the hook first, then the
   * rest in one batch.
   */
  HitStart startHit(String hookId, Optional<String> clientKey, Instant now) {
    Optional<Map<String, AttributeValue>> rateKey =
        clientKey.map(c -> RateCounters.key(c, RateCharge.minuteOf(now)));
    Optional<HookRoutes.Route> route = routes.get(hookId);
    Optional<Webhook> hook;
    List<Map<String, AttributeValue>> found;
    String botId;
    if (route.isPresent()) {
      botId = route.get().botId();
      found = read(botId, route.get().user(), Optional.of(key(Keys.hookPk(hookId), Keys.HOOK_SK)),
          rateKey);
      hook =
          found.stream()
              .filter(i -> str(i, PK).equals(Keys.hookPk(hookId)))
              .findFirst()
              .map(Items::toWebhook);
    } else {
      hook = webhooks.webhook(hookId);
      if (hook.isEmpty()) {
        return new HitStart(0, hook, new BotAndUser(Optional.empty(), Optional.empty()));
      }
      botId = hook.get().botId();
      found = read(botId, hook.get().user(), Optional.empty(), rateKey);
      routes.put(hookId, new HookRoutes.Route(botId, hook.get().user()));
    }
    long hits = found.stream().filter(RateCounters::isCounter).mapToLong(RateCounters::hits).sum();
    return new HitStart(hits, hook, BotRecords.botAndUserOf(botId, found));
  }

  private List<Map<String, AttributeValue>> read(
      String botId,
      Optional<String> user,
      Optional<Map<String, AttributeValue>> hookKey,
      Optional<Map<String, AttributeValue>> rateKey) {
    List<Map<String, AttributeValue>> keys = new ArrayList<>();
    hookKey.ifPresent(keys::add);
    keys.add(key(botPk(botId), BOT_SK));
    user.ifPresent(u -> keys.add(key(Keys.userPk(botId, u), Keys.USER_SK)));
    rateKey.ifPresent(keys::add);
    return table.batchGet("read hook, bot, user and rate count", keys);
  }
}
