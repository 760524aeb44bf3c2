package dev.botwebhooks.store.dynamodb;

import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.Bot;
import dev.botwebhooks.core.BotCode;
import dev.botwebhooks.core.BotUser;
import dev.botwebhooks.core.Command;
import dev.botwebhooks.core.Commit;
import dev.botwebhooks.core.Delivery;
import dev.botwebhooks.core.ErrorEntry;
import dev.botwebhooks.core.HitRecord;
import dev.botwebhooks.core.HttpCall;
import dev.botwebhooks.core.Library;
import dev.botwebhooks.core.OutboxEntry;
import dev.botwebhooks.core.Page;
import dev.botwebhooks.core.PageRequest;
import dev.botwebhooks.core.PropertyKey;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.core.RateCharge;
import dev.botwebhooks.core.ScheduledRun;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.core.StoreUnavailableException;
import dev.botwebhooks.core.StoredProperty;
import dev.botwebhooks.core.Transpiled;
import dev.botwebhooks.core.Webhook;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The DynamoDB store: one table, laid out as {@code package-info.java} describes, reached through
 * the low-level client with explicit timeouts and a few retries. Failures to reach DynamoDB, and
 * throttling past the retries, are {@link StoreUnavailableException}. This class is a facade:
 * each role of the store is a class of its own ({@link BotRecords} for bots, users and code,
 * {@link WebhookRecords}, {@link PropertyRecords} for properties and commits, {@link LogRecords}
 * for the outbox, error log and request log, {@link ScheduleRecords} for scheduled runs and call
 * claims, {@link HitStarts} for a hit's first reads, {@link RateCounters} for rate counts), all on
 * one {@link Table}. The
 * key layout is in {@link Keys}, the attributes of each record in {@link Items}, listings in {@link
 * Pages}, commits in {@link CommitWrites} and the mapping of SDK failures in {@link SdkCalls}.
 */
public final class DynamoStore implements Store {
  private final Table table;
  private final BotRecords bots;
  private final WebhookRecords webhooks;
  private final PropertyRecords properties;
  private final LogRecords logs;
  private final ScheduleRecords schedule;
  private final HitStarts hitStarts;
  private final RateCounters rateCounters;
  private final BotAdmin admin;
  private final PropertyListing propertyListing;

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
    Objects.requireNonNull(client, "client");
    if (tableName == null || tableName.isBlank()) {
      throw new IllegalArgumentException("table name must not be blank");
    }
    Objects.requireNonNull(clock, "clock");
    SdkCalls calls = new SdkCalls(serialize);
    this.table = new Table(client, tableName, calls);
    Pages pages = new Pages(client, tableName, calls);
    this.bots = new BotRecords(table, pages);
    this.webhooks = new WebhookRecords(table, pages);
    this.logs = new LogRecords(table, pages, clock);
    this.properties = new PropertyRecords(table, new CommitWrites(tableName, clock), logs);
    this.schedule = new ScheduleRecords(table);
    this.hitStarts = new HitStarts(table, webhooks, bots);
    this.rateCounters = new RateCounters(table);
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
    table.calls.call(
        "create table",
        () -> {
          TableSetup.createIfAbsent(table.client, table.name);
          return null;
        });
  }

  // Bots, users and code --------------------------------------------------------------------------

  @Override
  public void createBot(Bot bot) {
    bots.createBot(bot);
  }

  @Override
  public Optional<Bot> bot(String botId) {
    return bots.bot(botId);
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
    return bots.botAndUser(botId, userId);
  }

  @Override
  public HitStart startHit(
      String hookId, Optional<String> clientKey, Instant now, Predicate<String> wantsCode) {
    return hitStarts.startHit(hookId, clientKey, now, wantsCode);
  }

  @Override
  public BotCode code(String botId) {
    return bots.code(botId);
  }

  @Override
  public Command putCommand(
      String botId,
      String name,
      List<String> aliases,
      String source,
      Optional<Transpiled> runnable) {
    return bots.putCommand(botId, name, aliases, source, runnable);
  }

  @Override
  public Optional<Command> putCommandAt(
      long basedOn,
      String botId,
      String name,
      List<String> aliases,
      String source,
      Optional<Transpiled> runnable) {
    return bots.putCommandAt(OptionalLong.of(basedOn), botId, name, aliases, source, runnable);
  }

  @Override
  public Optional<Command> command(String botId, String name) {
    return bots.command(botId, name);
  }

  @Override
  public boolean deleteCommand(String botId, String name) {
    return bots.deleteCommand(botId, name);
  }

  @Override
  public Library putLibrary(
      String botId, String name, String source, Optional<Transpiled> runnable) {
    return bots.putLibrary(botId, name, source, runnable);
  }

  @Override
  public Optional<Library> library(String botId, String name) {
    return bots.library(botId, name);
  }

  @Override
  public boolean deleteLibrary(String botId, String name) {
    return bots.deleteLibrary(botId, name);
  }

  @Override
  public void putUser(BotUser user) {
    bots.putUser(user);
  }

  @Override
  public Optional<BotUser> user(String botId, String userId) {
    return bots.user(botId, userId);
  }

  // Webhooks --------------------------------------------------------------------------------------

  @Override
  public void putWebhook(Webhook hook) {
    webhooks.putWebhook(hook);
  }

  @Override
  public Optional<Webhook> webhook(String hookId) {
    return webhooks.webhook(hookId);
  }

  @Override
  public boolean revokeWebhook(String botId, String hookId) {
    return webhooks.revokeWebhook(botId, hookId);
  }

  @Override
  public Page<Webhook> webhooks(String botId, PageRequest page) {
    return webhooks.webhooks(botId, page);
  }

  // Properties and commits ------------------------------------------------------------------------

  @Override
  public Optional<StoredProperty> property(PropertyKey key) {
    return properties.property(key);
  }

  @Override
  public void putProperty(PropertyKey key, PropertyValue value) {
    properties.putProperty(key, value);
  }

  @Override
  public boolean deleteProperty(PropertyKey key) {
    return properties.deleteProperty(key);
  }

  @Override
  public void commit(Commit commit) {
    properties.commit(commit);
  }

  @Override
  public boolean isApplied(Commit commit) {
    return properties.isApplied(commit);
  }

  @Override
  public Optional<Delivery> delivery(String hookId, String deliveryId, Instant now) {
    return properties.delivery(hookId, deliveryId, now);
  }

  // Outbox, error log and request log -------------------------------------------------------------

  @Override
  public Page<OutboxEntry> messages(String botId, Optional<String> userId, PageRequest page) {
    return logs.messages(botId, userId, page);
  }

  @Override
  public void logError(ErrorEntry e) {
    logs.logError(e);
  }

  @Override
  public Page<ErrorEntry> errors(String botId, PageRequest page) {
    return logs.errors(botId, page);
  }

  @Override
  public void logHit(HitRecord hit, Optional<ErrorEntry> error, Optional<RateCharge> charge) {
    logs.logHit(hit, error, charge);
  }

  @Override
  public Optional<HitRecord> hit(String botId, String hitId) {
    return logs.hit(botId, hitId);
  }

  @Override
  public Page<HitRecord> hits(String botId, HitRecord.Filter filter, PageRequest page) {
    return logs.hits(botId, filter, page);
  }

  // Scheduled runs, outbound calls and rate limiting ----------------------------------------------

  @Override
  public void scheduleRun(ScheduledRun run) {
    schedule.scheduleRun(run);
  }

  @Override
  public List<ScheduledRun> dueRuns(Instant now, int limit) {
    return schedule.dueRuns(now, limit);
  }

  @Override
  public boolean claimRun(ScheduledRun run) {
    return schedule.claimRun(run);
  }

  @Override
  public List<HttpCall> dueCalls(Instant now, int limit) {
    return schedule.dueCalls(now, limit);
  }

  @Override
  public boolean claimHttpCall(HttpCall call) {
    return schedule.claimHttpCall(call);
  }

  @Override
  public long countHit(String clientKey, Instant now) {
    return rateCounters.countHit(clientKey, now);
  }

  @Override
  public long hitsSoFar(String clientKey, Instant now) {
    return rateCounters.hitsSoFar(clientKey, now);
  }
}
