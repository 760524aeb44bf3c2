package dev.botwebhooks.store.dynamodb;

import static dev.botwebhooks.store.dynamodb.Attributes.str;
import static dev.botwebhooks.store.dynamodb.Keys.BOT_SK;
import static dev.botwebhooks.store.dynamodb.Keys.PK;
import static dev.botwebhooks.store.dynamodb.Keys.botPk;
import static dev.botwebhooks.store.dynamodb.Keys.key;

import dev.botwebhooks.core.BackgroundTask;
import dev.botwebhooks.core.BotStore.BotAndUser;
import dev.botwebhooks.core.BotUser;
import dev.botwebhooks.core.RateCharge;
import dev.botwebhooks.core.RequestMeter;
import dev.botwebhooks.core.Store.HitStart;
import dev.botwebhooks.core.Webhook;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What a webhook hit reads before its command runs ({@code Store.startHit}): the client's rate
 * count so far, the hook, its bot and its user, and the bot's code when the caller would read it
 * next.
 */
final class HitStarts {
  private final Table table;
  private final WebhookRecords webhooks;
  private final BotRecords bots;
  private final HookRoutes routes = new HookRoutes();

  HitStarts(Table table, WebhookRecords webhooks, BotRecords bots) {
    this.table = table;
    this.webhooks = webhooks;
    this.bots = bots;
  }

  /**
   * Once this process has seen the hook, its bot and user (which never change) are known, and the
   * hook, bot, user and the client's rate counter come back in one BatchGetItem: a warm hit's
   * reads are one request. The first hit of a hook in a process reads the hook first, then the
   * rest in one batch; when the caller wants the bot's code too, the query of the code (which
   * holds the bot's item) goes beside the batch of the user and the rate count, so that the
   * first hit of a bot's hook reads in two round trips, not three (README "Performance").
   */
  HitStart startHit(
      String hookId, Optional<String> clientKey, Instant now, Predicate<String> wantsCode) {
    Optional<Map<String, AttributeValue>> rateKey =
        clientKey.map(c -> RateCounters.key(c, RateCharge.minuteOf(now)));
    Optional<HookRoutes.Route> route = routes.get(hookId);
    if (route.isEmpty()) {
      return firstHit(hookId, rateKey, wantsCode);
    }
    String botId = route.get().botId();
    List<Map<String, AttributeValue>> found =
        table.batchGet(
            "read hook, bot, user and rate count",
            keys(Optional.of(key(Keys.hookPk(hookId), Keys.HOOK_SK)), Optional.of(botId),
                route.get().user().map(u -> key(Keys.userPk(botId, u), Keys.USER_SK)), rateKey));
    Optional<Webhook> hook =
        found.stream()
            .filter(i -> str(i, PK).equals(Keys.hookPk(hookId)))
            .findFirst()
            .map(Items::toWebhook);
    return new HitStart(
        hitsOf(found), hook, BotRecords.botAndUserOf(botId, found), Optional.empty());
  }

  private HitStart firstHit(
      String hookId, Optional<Map<String, AttributeValue>> rateKey, Predicate<String> wantsCode) {
    Optional<Webhook> hook = webhooks.webhook(hookId);
    if (hook.isEmpty()) {
      return new HitStart(
          0, hook, new BotAndUser(Optional.empty(), Optional.empty()), Optional.empty());
    }
    String botId = hook.get().botId();
    routes.put(hookId, new HookRoutes.Route(botId, hook.get().user()));
    Optional<Map<String, AttributeValue>> userKey =
        hook.get().user().map(u -> key(Keys.userPk(botId, u), Keys.USER_SK));
    if (!wantsCode.test(botId)) {
      List<Map<String, AttributeValue>> found =
          table.batchGet(
              "read bot, user and rate count",
              keys(Optional.empty(), Optional.of(botId), userKey, rateKey));
      return new HitStart(
          hitsOf(found), hook, BotRecords.botAndUserOf(botId, found), Optional.empty());
    }
    List<Map<String, AttributeValue>> others =
        keys(Optional.empty(), Optional.empty(), userKey, rateKey);
    BotRecords.CodeAndBot code;
    List<Map<String, AttributeValue>> found;
    if (others.isEmpty()) {
      code = bots.codeAndBot(botId);
      found = List.of();
    } else {
      BackgroundTask<List<Map<String, AttributeValue>>> batch =
          BackgroundTask.start(
              "hit-start-batch",
              RequestMeter.carried(() -> table.batchGet("read user and rate count", others))::get);
      code = bots.codeAndBot(botId);
      found = batch.join();
    }
    Optional<BotUser> user = BotRecords.botAndUserOf(botId, found).user();
    return new HitStart(
        hitsOf(found), hook, new BotAndUser(code.bot(), user), Optional.of(code.code()));
  }

  private static List<Map<String, AttributeValue>> keys(
      Optional<Map<String, AttributeValue>> hookKey,
      Optional<String> botId,
      Optional<Map<String, AttributeValue>> userKey,
      Optional<Map<String, AttributeValue>> rateKey) {
    List<Map<String, AttributeValue>> keys = new ArrayList<>();
    hookKey.ifPresent(keys::add);
    botId.ifPresent(b -> keys.add(key(botPk(b), BOT_SK)));
    userKey.ifPresent(keys::add);
    rateKey.ifPresent(keys::add);
    return keys;
  }

  private static long hitsOf(List<Map<String, AttributeValue>> found) {
    return found.stream().filter(RateCounters::isCounter).mapToLong(RateCounters::hits).sum();
  }
}
