package dev.botwebhooks.store.dynamodb;

import static dev.botwebhooks.store.dynamodb.Attributes.n;
import static dev.botwebhooks.store.dynamodb.Attributes.num;
import static dev.botwebhooks.store.dynamodb.Attributes.str;
import static dev.botwebhooks.store.dynamodb.Keys.BOT_SK;
import static dev.botwebhooks.store.dynamodb.Keys.PK;
import static dev.botwebhooks.store.dynamodb.Keys.botPk;
import static dev.botwebhooks.store.dynamodb.Keys.key;

import dev.botwebhooks.core.BotStore.BotAndUser;
import dev.botwebhooks.core.RequestMeter;
import dev.botwebhooks.core.Store.HitStart;
import dev.botwebhooks.core.StoreUnavailableException;
import dev.botwebhooks.core.Webhook;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * What a webhook hit reads before its command runs (the {@code HitCounter} role and {@code
 * Store.startHit}): the client's rate count, the hook, its bot and its user.
 */
final class HitStarts {
  /** Sends a hit's rate count while its thread reads; daemon threads, made as needed. */
  private static final ExecutorService BACKGROUND =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "dynamodb-background");
            t.setDaemon(true);
            return t;
          });

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
   * The rate count goes out on another thread while this one reads; once this process has seen
   * the hook, its bot and user (which never change) are known, and the hook, bot and user come
   * back in one BatchGetItem. So a warm hit's reads are two requests in one round trip.
   */
  HitStart startHit(String hookId, Optional<String> clientKey, Instant now) {
    Optional<Future<Long>> counted =
        clientKey.map(
            client -> BACKGROUND.submit(RequestMeter.carried(() -> countHit(client, now))));
    Optional<Webhook> hook;
    BotAndUser loaded;
    Optional<HookRoutes.Route> route = routes.get(hookId);
    if (route.isPresent()) {
      String botId = route.get().botId();
      List<Map<String, AttributeValue>> keys = new ArrayList<>();
      keys.add(key(Keys.hookPk(hookId), Keys.HOOK_SK));
      keys.add(key(botPk(botId), BOT_SK));
      route.get().user().ifPresent(u -> keys.add(key(Keys.userPk(botId, u), Keys.USER_SK)));
      List<Map<String, AttributeValue>> found = table.batchGet("read hook, bot and user", keys);
      hook =
          found.stream()
              .filter(i -> str(i, PK).equals(Keys.hookPk(hookId)))
              .findFirst()
              .map(Items::toWebhook);
      loaded = BotRecords.botAndUserOf(botId, found);
    } else {
      hook = webhooks.webhook(hookId);
      loaded =
          hook.isPresent()
              ? bots.botAndUser(hook.get().botId(), hook.get().user())
              : new BotAndUser(Optional.empty(), Optional.empty());
      hook.ifPresent(h -> routes.put(h.id(), new HookRoutes.Route(h.botId(), h.user())));
    }
    long hits = counted.isPresent() ? await(counted.get()) : 0;
    return new HitStart(hits, hook, loaded);
  }

  long countHit(String clientKey, Instant now) {
    long minute = now.getEpochSecond() / 60;
    UpdateItemResponse r =
        table.calls.call(
            "count hit",
            () ->
                table.client.updateItem(
                    b ->
                        b.tableName(table.name)
                            .key(key(Keys.ratePk(clientKey, minute), "RATE"))
                            .updateExpression("ADD #hits :one SET #ttl = :ttl")
                            .expressionAttributeNames(Map.of("#hits", "hits", "#ttl", Keys.TTL))
                            .expressionAttributeValues(
                                Map.of(":one", n(1), ":ttl", n((minute + 2) * 60)))
                            .returnValues(ReturnValue.UPDATED_NEW)));
    return num(r.attributes(), "hits");
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted waiting for DynamoDB", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}
