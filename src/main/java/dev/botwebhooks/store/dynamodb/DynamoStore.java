package dev.botwebhooks.store.dynamodb;

import static dev.botwebhooks.store.dynamodb.Attributes.n;
import static dev.botwebhooks.store.dynamodb.Attributes.num;
import static dev.botwebhooks.store.dynamodb.Attributes.s;
import static dev.botwebhooks.store.dynamodb.Attributes.str;
import static dev.botwebhooks.store.dynamodb.Keys.BOT_SK;
import static dev.botwebhooks.store.dynamodb.Keys.PK;
import static dev.botwebhooks.store.dynamodb.Keys.SK;
import static dev.botwebhooks.store.dynamodb.Keys.botPk;
import static dev.botwebhooks.store.dynamodb.Keys.key;

import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.Bot;
import dev.botwebhooks.core.BotCode;
import dev.botwebhooks.core.BotUser;
import dev.botwebhooks.core.Command;
import dev.botwebhooks.core.Commit;
import dev.botwebhooks.core.CommitConflictException;
import dev.botwebhooks.core.Delivery;
import dev.botwebhooks.core.DuplicateDeliveryException;
import dev.botwebhooks.core.ErrorEntry;
import dev.botwebhooks.core.HitRecord;
import dev.botwebhooks.core.Library;
import dev.botwebhooks.core.Transpiled;
import dev.botwebhooks.core.OutboxEntry;
import dev.botwebhooks.core.Page;
import dev.botwebhooks.core.PageRequest;
import dev.botwebhooks.core.PropertyKey;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.core.RequestMeter;
import dev.botwebhooks.core.ScheduledRun;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.core.StoreUnavailableException;
import dev.botwebhooks.core.StoredProperty;
import dev.botwebhooks.core.Webhook;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The DynamoDB store: one table, laid out as {@code package-info.java} describes, reached through
 * the low-level client with explicit timeouts and a few retries. Failures to reach DynamoDB, and
 * throttling past the retries, are {@link StoreUnavailableException}. The operations are here; the
 * key layout is in {@link Keys}, the attributes of each record in {@link Items}, listings in {@link
 * Pages}, commits in {@link CommitWrites} and the mapping of SDK failures in {@link SdkCalls}.
 */
public final class DynamoStore implements Store {
  private final DynamoDbClient client;
  private final String table;
  private final SdkCalls calls;
  private final Pages pages;
  private final CommitWrites writes;
  private final Clock clock;
  private final HookRoutes routes = new HookRoutes();
  private final BotAdmin admin;
  private final PropertyListing propertyListing;

  /** Sends a hit's rate count while its thread reads; daemon threads, made as needed. */
  private static final ExecutorService BACKGROUND =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "dynamodb-background");
            t.setDaemon(true);
            return t;
          });

  /** A store on this client and table; the client's configuration is the caller's. */
  public DynamoStore(DynamoDbClient client, String tableName) {
    this(client, tableName, Clock.systemUTC());
  }

  public DynamoStore(DynamoDbClient client, String tableName, Clock clock) {
    this(client, tableName, clock, Optional.empty());
  }

  /**
   * @param serialize when present, this process sends one request at a time, waiting at most this
   *     long for its turn (then {@link StoreUnavailableException})
   */
  public DynamoStore(
      DynamoDbClient client, String tableName, Clock clock, Optional<Duration> serialize) {
    this.client = Objects.requireNonNull(client, "client");
    if (tableName == null || tableName.isBlank()) {
      throw new IllegalArgumentException("table name must not be blank");
    }
    this.table = tableName;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.writes = new CommitWrites(tableName, clock);
    this.calls = new SdkCalls(serialize);
    this.pages = new Pages(client, tableName, calls);
    this.admin = new BotAdmin(client, tableName, calls, pages);
    this.propertyListing = new PropertyListing(client, tableName, calls);
  }

  /** A store for these settings: region and endpoint from them, the SDK's URL connection client. */
  public static DynamoStore create(Settings settings) {
    return create(settings, Timeouts.defaults());
  }

  /** The same, with these timeouts and extra SDK interceptors (request counting in tests). */
  public static DynamoStore create(
      Settings settings, Timeouts timeouts, ExecutionInterceptor... interceptors) {
    // Local DynamoDB stand-ins (moto) apply a transaction by snapshotting the table and restoring
    // the snapshot when a condition fails, undoing writes made meanwhile by other requests; taking
    // turns (SdkCalls) keeps a local server correct under concurrent hits. AWS never needs it.
    Optional<Duration> serialize =
        settings.dynamoDbEndpoint().isPresent() ? Optional.of(timeouts.call()) : Optional.empty();
    List<ExecutionInterceptor> all = new ArrayList<>();
    all.add(new HitRequestCounter());
    all.addAll(List.of(interceptors));
    return new DynamoStore(
        client(settings, timeouts, all), settings.tableName(), Clock.systemUTC(), serialize);
  }

  /**
   * How long one attempt and one call (retries included) may take, and how many attempts a call
   * makes. The defaults (1 s, 2 s, 3) are far above DynamoDB's normal latency of milliseconds, yet
   * a stalled DynamoDB fails a hit's first call, so the hit answers 503 within about 2 s. Even a
   * DynamoDB slow enough to make every call succeed just under the call timeout keeps a hit within
   * the function's timeout: six calls outside the script (rate count, hook, bot, code, commit,
   * error log) at 2 s each plus {@code SCRIPT_TIME_LIMIT_MS} (5 s) is 17 s, below the 20 s that
   * {@code template.yaml} gives the functions (a test checks this).
   */
  public record Timeouts(Duration attempt, Duration call, int maxAttempts) {
    public Timeouts {
      if (attempt.isNegative() || attempt.isZero() || call.compareTo(attempt) < 0) {
        throw new IllegalArgumentException(
            "need 0 < attempt <= call timeout, got " + attempt + " and " + call);
      }
      if (maxAttempts < 1 || maxAttempts > 10) {
        throw new IllegalArgumentException("maxAttempts must be 1-10, got " + maxAttempts);
      }
    }

    public static Timeouts defaults() {
      return new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2), 3);
    }
  }

  /** The SDK client this store uses for these settings; public so tests can add interceptors. */
  public static DynamoDbClient client(
      Settings settings, Timeouts timeouts, List<ExecutionInterceptor> interceptors) {
    return DynamoClients.build(settings, timeouts, interceptors);
  }

  /** Creates the table (with TTL) when it does not exist; for local endpoints and tests. */
  public void createTableIfAbsent() {
    calls.call(
        "create table",
        () -> {
          TableSetup.createIfAbsent(client, table);
          return null;
        });
  }

  // Bots and code ---------------------------------------------------------------------------------

  @Override
  public void createBot(Bot bot) {
    Map<String, AttributeValue> item = Items.bot(bot);
    calls.call(
        "create bot",
        () -> {
          try {
            // A code write before the bot existed leaves an item without a name; that is no bot.
            return client.putItem(
                b ->
                    b.tableName(table)
                        .item(item)
                        .conditionExpression("attribute_not_exists(#n)")
                        .expressionAttributeNames(Map.of("#n", "name")));
          } catch (ConditionalCheckFailedException e) {
            if (bot(bot.id()).filter(bot::equals).isPresent()) {
              return null; // an SDK retry of this very write, whose first attempt went through
            }
            throw new IllegalStateException("bot id already taken: " + bot.id(), e);
          }
        });
  }

  @Override
  public Optional<Bot> bot(String botId) {
    return get(botPk(botId), BOT_SK).flatMap(Items::toBot);
  }

  @Override
  public Page<Bot> bots(PageRequest page) {
    return admin.bots(page);
  }

  @Override
  public boolean replaceApiKeyHash(String botId, String apiKeyHash) {
    return admin.replaceApiKeyHash(botId, apiKeyHash);
  }

  @Override
  public boolean deleteBot(String botId) {
    return admin.deleteBot(botId);
  }

  @Override
  public Page<StoredProperty> properties(
      String botId, Optional<String> userId, PageRequest page) {
    return propertyListing.page(botId, userId, page);
  }

  @Override
  public BotAndUser botAndUser(String botId, Optional<String> userId) {
    if (userId.isEmpty()) {
      return new BotAndUser(bot(botId), Optional.empty());
    }
    List<Map<String, AttributeValue>> found =
        batchGet(
            "read bot and user",
            List.of(key(botPk(botId), BOT_SK), key(Keys.userPk(botId, userId.get()), Keys.USER_SK)));
    return botAndUserOf(botId, found);
  }

  private static BotAndUser botAndUserOf(String botId, List<Map<String, AttributeValue>> found) {
    Optional<Bot> bot = Optional.empty();
    Optional<BotUser> user = Optional.empty();
    for (Map<String, AttributeValue> item : found) {
      String sk = str(item, SK);
      if (sk.equals(BOT_SK)) {
        bot = Items.toBot(item);
      } else if (sk.equals(Keys.USER_SK)) {
        user = Optional.of(Items.toUser(botId, item));
      }
    }
    return new BotAndUser(bot, user);
  }

  /**
   * The rate count goes out on another thread while this one reads; once this process has seen
   * the hook, its bot and user (which never change) are known, and the hook, bot and user come
   * back in one BatchGetItem. So a warm hit's reads are two requests in one round trip.
   */
  @Override
  public HitStart startHit(String hookId, Optional<String> clientKey, Instant now) {
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
      List<Map<String, AttributeValue>> found = batchGet("read hook, bot and user", keys);
      hook =
          found.stream()
              .filter(i -> str(i, PK).equals(Keys.hookPk(hookId)))
              .findFirst()
              .map(Items::toWebhook);
      loaded = botAndUserOf(botId, found);
    } else {
      hook = webhook(hookId);
      loaded =
          hook.isPresent()
              ? botAndUser(hook.get().botId(), hook.get().user())
              : new BotAndUser(Optional.empty(), Optional.empty());
      hook.ifPresent(h -> routes.put(h.id(), new HookRoutes.Route(h.botId(), h.user())));
    }
    long hits = counted.isPresent() ? await(counted.get()) : 0;
    return new HitStart(hits, hook, loaded);
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

  /** Items by key in one BatchGetItem, asking again for keys DynamoDB left unprocessed. */
  private List<Map<String, AttributeValue>> batchGet(
      String what, List<Map<String, AttributeValue>> keys) {
    List<Map<String, AttributeValue>> found = new ArrayList<>();
    Map<String, KeysAndAttributes> pending =
        Map.of(table, KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
    // Unprocessed keys come back only under load; ask again for them alone.
    for (int round = 0; !pending.isEmpty(); round++) {
      if (round == 5) {
        throw new StoreUnavailableException("DynamoDB left keys unprocessed 5 times", null);
      }
      Map<String, KeysAndAttributes> ask = pending;
      BatchGetItemResponse r =
          calls.read(what, () -> client.batchGetItem(b -> b.requestItems(ask)));
      found.addAll(r.responses().getOrDefault(table, List.of()));
      pending = r.hasUnprocessedKeys() ? r.unprocessedKeys() : Map.of();
    }
    return found;
  }

  @Override
  public BotCode code(String botId) {
    // BOT < CMD#... < LIB#... < LIB$: the bot item, its commands and libraries in one range.
    List<Map<String, AttributeValue>> items =
        pages.all(
            QueryRequest.builder()
                .tableName(table)
                .consistentRead(true)
                .keyConditionExpression("#pk = :pk AND #sk BETWEEN :from AND :to")
                .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                .expressionAttributeValues(
                    Map.of(":pk", s(botPk(botId)), ":from", s(BOT_SK), ":to", s(Keys.CODE_END))));
    long version = 0;
    List<Command> commands = new ArrayList<>();
    List<Library> libraries = new ArrayList<>();
    for (Map<String, AttributeValue> item : items) {
      String sk = str(item, SK);
      if (sk.equals(BOT_SK)) {
        version = Items.codeVersion(item);
      } else if (sk.startsWith(Keys.CMD)) {
        commands.add(Items.toCommand(item));
      } else if (sk.startsWith(Keys.LIB)) {
        libraries.add(Items.toLibrary(item));
      }
    }
    return new BotCode(botId, version, commands, libraries);
  }

  @Override
  public Command putCommand(
      String botId,
      String name,
      List<String> aliases,
      String source,
      Optional<Transpiled> runnable) {
    return putCode(
        botId,
        Keys.CMD + name,
        old -> new Command(name, aliases, source, runnable, Items.version(old) + 1),
        Items::command);
  }

  @Override
  public Optional<Command> command(String botId, String name) {
    return get(botPk(botId), Keys.CMD + name).map(Items::toCommand);
  }

  @Override
  public boolean deleteCommand(String botId, String name) {
    return deleteCode(botId, Keys.CMD + name);
  }

  @Override
  public Library putLibrary(
      String botId, String name, String source, Optional<Transpiled> runnable) {
    return putCode(
        botId,
        Keys.LIB + name,
        old -> new Library(name, source, runnable, Items.version(old) + 1),
        Items::library);
  }

  @Override
  public Optional<Library> library(String botId, String name) {
    return get(botPk(botId), Keys.LIB + name).map(Items::toLibrary);
  }

  @Override
  public boolean deleteLibrary(String botId, String name) {
    return deleteCode(botId, Keys.LIB + name);
  }

  /**
   * Writes a command or library and bumps the bot's code version in one transaction; the write is
   * conditional on the version read just before, and tried again if another write came between.
   */
  private <T> T putCode(
      String botId,
      String sk,
      Function<Optional<Map<String, AttributeValue>>, T> next,
      Function<T, Map<String, AttributeValue>> attributes) {
    for (int attempt = 0; ; attempt++) {
      Optional<Map<String, AttributeValue>> old = get(botPk(botId), sk);
      T value = next.apply(old);
      Map<String, AttributeValue> item = key(botPk(botId), sk);
      item.putAll(attributes.apply(value));
      Put.Builder put = Put.builder().tableName(table).item(item);
      if (old.isEmpty()) {
        put.conditionExpression("attribute_not_exists(#pk)")
            .expressionAttributeNames(Map.of("#pk", PK));
      } else {
        put.conditionExpression("#v = :v")
            .expressionAttributeNames(Map.of("#v", "version"))
            .expressionAttributeValues(Map.of(":v", old.get().get("version")));
      }
      try {
        transact(
            "write " + sk,
            List.of(TransactWriteItem.builder().put(put.build()).build(), bumpCodeVersion(botId)),
            UUID.randomUUID().toString());
        return value;
      } catch (TransactionCanceledException e) {
        if (attempt == 4) {
          throw new StoreUnavailableException("code write kept conflicting: " + sk, e);
        }
      }
    }
  }

  private boolean deleteCode(String botId, String sk) {
    try {
      transact(
          "delete " + sk,
          List.of(
              TransactWriteItem.builder()
                  .delete(
                      Delete.builder()
                          .tableName(table)
                          .key(key(botPk(botId), sk))
                          .conditionExpression("attribute_exists(#pk)")
                          .expressionAttributeNames(Map.of("#pk", PK))
                          .build())
                  .build(),
              bumpCodeVersion(botId)),
          UUID.randomUUID().toString());
      return true;
    } catch (TransactionCanceledException e) {
      return false;
    }
  }

  private TransactWriteItem bumpCodeVersion(String botId) {
    return TransactWriteItem.builder()
        .update(
            Update.builder()
                .tableName(table)
                .key(key(botPk(botId), BOT_SK))
                .updateExpression("ADD #cv :one")
                .expressionAttributeNames(Map.of("#cv", "codeVersion"))
                .expressionAttributeValues(Map.of(":one", n(1)))
                .build())
        .build();
  }

  // Users -----------------------------------------------------------------------------------------

  @Override
  public void putUser(BotUser user) {
    Map<String, AttributeValue> item = Items.user(user);
    calls.call("write user", () -> client.putItem(b -> b.tableName(table).item(item)));
  }

  @Override
  public Optional<BotUser> user(String botId, String userId) {
    return get(Keys.userPk(botId, userId), Keys.USER_SK).map(i -> Items.toUser(botId, i));
  }

  // Webhooks --------------------------------------------------------------------------------------

  @Override
  public void putWebhook(Webhook hook) {
    Map<String, AttributeValue> attributes = Items.webhook(hook);
    Map<String, AttributeValue> item = key(Keys.hookPk(hook.id()), Keys.HOOK_SK);
    item.putAll(attributes);
    Map<String, AttributeValue> listing = key(Keys.hooksPk(hook.botId(), hook.id()), Keys.hookSk(hook));
    listing.putAll(attributes);
    // Two puts, not a transaction: half as many write units, and the only partial state (a hook
    // whose listing put failed) is a hook nobody was given the id of, since the mint failed.
    calls.call(
        "write webhook",
        () -> {
          try {
            return client.putItem(
                b ->
                    b.tableName(table)
                        .item(item)
                        .conditionExpression("attribute_not_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", PK)));
          } catch (ConditionalCheckFailedException e) {
            if (webhook(hook.id()).filter(hook::equals).isPresent()) {
              return null; // an SDK retry of this very write, whose first attempt went through
            }
            throw new IllegalStateException("webhook id already taken", e);
          }
        });
    calls.call("list webhook", () -> client.putItem(b -> b.tableName(table).item(listing)));
  }

  @Override
  public Optional<Webhook> webhook(String hookId) {
    return get(Keys.hookPk(hookId), Keys.HOOK_SK).map(Items::toWebhook);
  }

  @Override
  public boolean revokeWebhook(String botId, String hookId) {
    Optional<Webhook> hook = webhook(hookId);
    if (hook.isEmpty() || !hook.get().botId().equals(botId)) {
      return false;
    }
    try {
      transact(
          "revoke webhook",
          List.of(
              TransactWriteItem.builder()
                  .delete(
                      Delete.builder()
                          .tableName(table)
                          .key(key(Keys.hookPk(hookId), Keys.HOOK_SK))
                          .conditionExpression("#b = :b")
                          .expressionAttributeNames(Map.of("#b", "botId"))
                          .expressionAttributeValues(Map.of(":b", s(botId)))
                          .build())
                  .build(),
              TransactWriteItem.builder()
                  .delete(
                      Delete.builder()
                          .tableName(table)
                          .key(key(Keys.hooksPk(botId, hookId), Keys.hookSk(hook.get())))
                          .build())
                  .build()),
          UUID.randomUUID().toString());
      return true;
    } catch (TransactionCanceledException e) {
      return false;
    }
  }

  @Override
  public Page<Webhook> webhooks(String botId, PageRequest page) {
    return pages.page("h", Keys.hooksPks(botId), page, Items::toWebhook);
  }

  // Properties ------------------------------------------------------------------------------------

  @Override
  public Optional<StoredProperty> property(PropertyKey key) {
    return get(Keys.propertyPk(key), Keys.propertySk(key))
        .filter(Items::hasValue)
        .map(i -> new StoredProperty(key, Items.toValue(i), Items.propertyVersion(i)));
  }

  @Override
  public void putProperty(PropertyKey key, PropertyValue value) {
    Update u = writes.property(key, value, null);
    calls.call(
        "write property",
        () ->
            client.updateItem(
                b ->
                    b.tableName(table)
                        .key(u.key())
                        .updateExpression(u.updateExpression())
                        .expressionAttributeNames(u.expressionAttributeNames())
                        .expressionAttributeValues(u.expressionAttributeValues())));
  }

  @Override
  public boolean deleteProperty(PropertyKey key) {
    Update u = writes.property(key, null, null);
    return calls.call(
        "delete property",
        () -> {
          try {
            client.updateItem(
                b ->
                    b.tableName(table)
                        .key(u.key())
                        .updateExpression(u.updateExpression())
                        .conditionExpression("attribute_exists(#val)")
                        .expressionAttributeNames(u.expressionAttributeNames())
                        .expressionAttributeValues(u.expressionAttributeValues()));
            return true;
          } catch (ConditionalCheckFailedException e) {
            return false;
          }
        });
  }

  @Override
  public void commit(Commit commit) {
    if (commit.isEmpty()) {
      commit.hit().ifPresent(hit -> logHit(hit, Optional.empty()));
      return;
    }
    String token = CommitWrites.requestToken(commit.token());
    List<TransactWriteItem> items =
        new ArrayList<>(writes.items(commit, token, commit.hit().isPresent()));
    // The hit rides in the transaction; only a commit that fills it writes its hit on its own.
    boolean carried = commit.hit().isPresent() && items.size() < CommitWrites.MAX_TRANSACTION_ITEMS;
    if (carried) {
      Map<String, AttributeValue> hitItem = HitItems.item(commit.hit().get());
      items.add(
          TransactWriteItem.builder()
              .put(Put.builder().tableName(table).item(hitItem).build())
              .build());
    }
    try {
      transact("commit", items, token);
      if (commit.hit().isPresent() && !carried) {
        logHit(commit.hit().get(), Optional.empty());
      }
    } catch (TransactionCanceledException e) {
      List<CancellationReason> reasons =
          e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
      // Item 0 is the token put, whose condition fails only if this commit was applied before.
      if (!reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code())) {
        return; // applied before: an SDK retry, or the caller's, of a commit that went through
      }
      // Item 1, when there is a delivery, is its put: another copy of the delivery came first.
      if (commit.delivery().isPresent()
          && reasons.size() > 1
          && "ConditionalCheckFailed".equals(reasons.get(1).code())) {
        throw new DuplicateDeliveryException("delivery already recorded", e);
      }
      for (CancellationReason r : reasons) {
        String code = r.code();
        if ("ConditionalCheckFailed".equals(code) || "TransactionConflict".equals(code)) {
          throw new CommitConflictException("a property changed since the run read it", e);
        }
      }
      throw new StoreUnavailableException("DynamoDB cancelled the commit: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean isApplied(Commit commit) {
    return get(Keys.tokenPk(CommitWrites.requestToken(commit.token())), "TOKEN").isPresent();
  }

  @Override
  public Optional<Delivery> delivery(String hookId, String deliveryId, Instant now) {
    // TTL deletes some time after expiry: an expired record counts as absent.
    return get(Keys.deliveryPk(hookId, deliveryId), DeliveryItems.SK)
        .map(item -> DeliveryItems.toDelivery(hookId, item))
        .filter(d -> d.isLiveAt(now));
  }

  // Outbox and error log --------------------------------------------------------------------------

  @Override
  public Page<OutboxEntry> messages(String botId, Optional<String> userId, PageRequest page) {
    Optional<Pages.Filter> filter =
        userId.map(
            u ->
                new Pages.Filter(
                    "#u = :u OR contains(#us, :u)",
                    Map.of("#u", "userId", "#us", OutboxPacks.USERS),
                    Map.of(":u", s(u))));
    // Every shard, merged: a commit too big for one item per entry packs them in one shard.
    return pages.page(
        "o",
        Keys.outPks(botId),
        page,
        Items::toOutboxEntries,
        filter,
        e -> userId.isEmpty() || userId.get().equals(e.userId()));
  }

  @Override
  public void logError(ErrorEntry e) {
    Map<String, AttributeValue> item = Items.error(e);
    calls.call("write error entry", () -> client.putItem(b -> b.tableName(table).item(item)));
  }

  @Override
  public Page<ErrorEntry> errors(String botId, PageRequest page) {
    return pages.page("e", List.of(Keys.errPk(botId)), page, Items::toError);
  }

  // Request log ---------------------------------------------------------------------------------

  @Override
  public void logHit(HitRecord hit, Optional<ErrorEntry> error) {
    Map<String, AttributeValue> item = HitItems.item(hit);
    if (error.isEmpty()) {
      calls.call("write hit", () -> client.putItem(b -> b.tableName(table).item(item)));
      return;
    }
    // One transaction rather than a batch: the same request count, and no unprocessed items.
    transact(
        "write hit and error",
        List.of(
            TransactWriteItem.builder().put(Put.builder().tableName(table).item(item).build()).build(),
            TransactWriteItem.builder()
                .put(Put.builder().tableName(table).item(Items.error(error.get())).build())
                .build()),
        UUID.randomUUID().toString());
  }

  @Override
  public Optional<HitRecord> hit(String botId, String hitId) {
    Instant now = clock.instant();
    return get(HitItems.pk(botId, hitId), hitId).map(HitItems::toHit).filter(h -> HitItems.live(h, now));
  }

  @Override
  public Page<HitRecord> hits(String botId, HitRecord.Filter filter, PageRequest page) {
    Instant now = clock.instant();
    return pages.page(
        "r",
        HitItems.pks(botId),
        page,
        item -> List.of(HitItems.toHit(item)),
        HitItems.filter(filter),
        h -> HitItems.live(h, now));
  }

  // Scheduled runs --------------------------------------------------------------------------------

  @Override
  public void scheduleRun(ScheduledRun run) {
    Map<String, AttributeValue> item = Items.scheduledRun(run);
    calls.call("schedule run", () -> client.putItem(b -> b.tableName(table).item(item)));
  }

  @Override
  public List<ScheduledRun> dueRuns(Instant now, int limit) {
    // Sort keys start with the due time, so "due by now" is a key range in each shard: everything
    // below the first key of the next millisecond. The shards' earliest, merged, earliest first.
    String upTo = Keys.scheduleEnd(now);
    List<Map<String, AttributeValue>> due = new ArrayList<>();
    for (String pk : Keys.schedulePks()) {
      QueryResponse r =
          calls.read(
              "read due runs",
              () ->
                  client.query(
                      b ->
                          b.tableName(table)
                              .keyConditionExpression("#pk = :pk AND #sk < :upTo")
                              .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                              .expressionAttributeValues(Map.of(":pk", s(pk), ":upTo", s(upTo)))
                              .consistentRead(true)
                              .limit(limit)));
      due.addAll(r.items());
    }
    return due.stream()
        .sorted(Comparator.comparing((Map<String, AttributeValue> i) -> str(i, SK)))
        .limit(limit)
        .map(Items::toScheduledRun)
        .toList();
  }

  @Override
  public boolean claimRun(ScheduledRun run) {
    return conditionalWrite(
        "claim scheduled run",
        () ->
            client.deleteItem(
                b ->
                    b.tableName(table)
                        .key(key(Keys.schedulePk(run), Keys.scheduleSk(run)))
                        .conditionExpression("attribute_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", PK))));
  }

  // Outbound calls ------------------------------------------------------------------------------

  @Override
  public boolean claimHttpCall(String callId, Instant now) {
    Map<String, AttributeValue> item = key(Keys.callPk(callId), Keys.CLAIM_SK);
    item.put(Keys.TTL, n(now.plus(Duration.ofDays(CLAIM_RETENTION_DAYS)).getEpochSecond()));
    return conditionalWrite(
        "claim outbound call",
        () ->
            client.putItem(
                b ->
                    b.tableName(table)
                        .item(item)
                        .conditionExpression("attribute_not_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", PK))));
  }

  /** A write with a condition: true when it applied, false when its condition did not hold. */
  private boolean conditionalWrite(String what, Supplier<?> write) {
    try {
      calls.call(what, write);
      return true;
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof ConditionalCheckFailedException) {
        return false;
      }
      throw e;
    }
  }

  // Rate limiting ---------------------------------------------------------------------------------

  @Override
  public long countHit(String clientKey, Instant now) {
    long minute = now.getEpochSecond() / 60;
    UpdateItemResponse r =
        calls.call(
            "count hit",
            () ->
                client.updateItem(
                    b ->
                        b.tableName(table)
                            .key(key(Keys.ratePk(clientKey, minute), "RATE"))
                            .updateExpression("ADD #hits :one SET #ttl = :ttl")
                            .expressionAttributeNames(Map.of("#hits", "hits", "#ttl", Keys.TTL))
                            .expressionAttributeValues(
                                Map.of(":one", n(1), ":ttl", n((minute + 2) * 60)))
                            .returnValues(ReturnValue.UPDATED_NEW)));
    return num(r.attributes(), "hits");
  }

  // Plumbing --------------------------------------------------------------------------------------

  private Optional<Map<String, AttributeValue>> get(String pk, String sk) {
    GetItemResponse r =
        calls.read(
            "read " + sk,
            () -> client.getItem(b -> b.tableName(table).key(key(pk, sk)).consistentRead(true)));
    return r.hasItem() && !r.item().isEmpty() ? Optional.of(r.item()) : Optional.empty();
  }

  /** One TransactWriteItems; a cancellation passes through for the caller to interpret. */
  private void transact(String what, List<TransactWriteItem> items, String token) {
    calls.transaction(
        what,
        () -> client.transactWriteItems(b -> b.transactItems(items).clientRequestToken(token)));
  }
}
