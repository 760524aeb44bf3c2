package dev.botwebhooks.store.dynamodb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.Bot;
import dev.botwebhooks.core.BotCode;
import dev.botwebhooks.core.BotUser;
import dev.botwebhooks.core.Command;
import dev.botwebhooks.core.Commit;
import dev.botwebhooks.core.CommitConflictException;
import dev.botwebhooks.core.ErrorEntry;
import dev.botwebhooks.core.InvalidCursorException;
import dev.botwebhooks.core.Library;
import dev.botwebhooks.core.OutboxEntry;
import dev.botwebhooks.core.Page;
import dev.botwebhooks.core.PageRequest;
import dev.botwebhooks.core.PropertyKey;
import dev.botwebhooks.core.PropertyType;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.core.ScheduledRun;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.core.StoreUnavailableException;
import dev.botwebhooks.core.StoredProperty;
import dev.botwebhooks.core.Webhook;
import dev.botwebhooks.http.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.IdempotentParameterMismatchException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionInProgressException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The DynamoDB store: one table, laid out as {@code package-info.java} describes, reached through
 * the low-level client with explicit timeouts and a few retries. Failures to reach DynamoDB, and
 * throttling past the retries, are {@link StoreUnavailableException}.
 */
public final class DynamoStore implements Store {
  /** DynamoDB's limit on the items of one transaction. */
  static final int MAX_TRANSACTION_ITEMS = 100;

  /** What is left of a transaction for properties after the token and one outbox item. */
  static final int MAX_COMMIT_PROPERTIES = MAX_TRANSACTION_ITEMS - 2;

  /** An outbox pack stays well below DynamoDB's 400 KB item limit. */
  static final int MAX_PACK_BYTES = 300_000;

  private static final String PK = "pk";
  private static final String SK = "sk";
  private static final String TTL = "ttl";
  private static final String VER = "ver";
  private static final String PTYPE = "ptype";
  private static final String PVAL = "pval";
  private static final String DELETED = "deleted";
  /** The one partition of scheduled runs, sorted by due time. */
  private static final String SCHEDULE_PK = "SCHEDULE";

  private static final Duration TOKEN_LIFETIME = Duration.ofDays(1);
  private static final Duration TOMBSTONE_LIFETIME = Duration.ofDays(30);
  private static final Pattern PLAIN_TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,36}");

  private final DynamoDbClient client;
  private final String table;
  private final Clock clock;
  private final Optional<Duration> serialize;
  private final ReentrantLock turn = new ReentrantLock(true);
  private final ThreadRequestCounter requests;

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
    this(client, tableName, clock, serialize, new ThreadRequestCounter());
  }

  /** With the request counter installed in {@code client}, so that hits can log their cost. */
  private DynamoStore(
      DynamoDbClient client,
      String tableName,
      Clock clock,
      Optional<Duration> serialize,
      ThreadRequestCounter requests) {
    this.requests = requests;
    this.client = Objects.requireNonNull(client, "client");
    if (tableName == null || tableName.isBlank()) {
      throw new IllegalArgumentException("table name must not be blank");
    }
    this.table = tableName;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.serialize = Objects.requireNonNull(serialize, "serialize");
  }

  /** A store for these settings: region and endpoint from them, the SDK's URL connection client. */
  public static DynamoStore create(Settings settings) {
    return create(settings, Timeouts.defaults());
  }

  /** The same, with these timeouts and extra SDK interceptors (request counting in tests). */
  public static DynamoStore create(
      Settings settings, Timeouts timeouts, ExecutionInterceptor... interceptors) {
    // Local DynamoDB stand-ins (moto) apply a transaction by snapshotting the table and restoring
    // the snapshot when a condition fails, undoing writes made meanwhile by other requests; one
    // request at a time keeps a local server correct under concurrent hits. AWS never needs it.
    Optional<Duration> serialize =
        settings.dynamoDbEndpoint().isPresent() ? Optional.of(timeouts.call()) : Optional.empty();
    ThreadRequestCounter requests = new ThreadRequestCounter();
    List<ExecutionInterceptor> all = new ArrayList<>();
    all.add(requests);
    all.addAll(List.of(interceptors));
    return new DynamoStore(
        client(settings, timeouts, all),
        settings.tableName(),
        Clock.systemUTC(),
        serialize,
        requests);
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
    ClientOverrideConfiguration.Builder override =
        ClientOverrideConfiguration.builder()
            .apiCallAttemptTimeout(timeouts.attempt())
            .apiCallTimeout(timeouts.call())
            .retryStrategy(
                AwsRetryStrategy.standardRetryStrategy().toBuilder()
                    .maxAttempts(timeouts.maxAttempts())
                    .backoffStrategy(
                        BackoffStrategy.exponentialDelay(
                            Duration.ofMillis(25), Duration.ofMillis(500)))
                    .throttlingBackoffStrategy(
                        BackoffStrategy.exponentialDelay(
                            Duration.ofMillis(100), Duration.ofSeconds(1)))
                    .build());
    interceptors.forEach(override::addExecutionInterceptor);
    var builder =
        DynamoDbClient.builder()
            .region(Region.of(region(settings)))
            .credentialsProvider(credentials(settings))
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(min(timeouts.attempt(), Duration.ofSeconds(1)))
                    .socketTimeout(timeouts.attempt()))
            .overrideConfiguration(override.build());
    settings.dynamoDbEndpoint().ifPresent(e -> builder.endpointOverride(URI.create(e)));
    return builder.build();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) < 0 ? a : b;
  }

  private static String region(Settings settings) {
    return settings
        .region()
        .or(() -> Optional.ofNullable(System.getenv(Settings.Env.AWS_REGION)))
        .filter(r -> !r.isBlank())
        .orElse("us-east-1");
  }

  /**
   * The default chain, except that a local endpoint without any configured credentials gets dummy
   * ones: moto and LocalStack accept any signature, and the chain would fail (or probe instance
   * metadata) otherwise.
   */
  private static AwsCredentialsProvider credentials(Settings settings) {
    if (settings.dynamoDbEndpoint().isPresent() && !credentialsConfigured()) {
      return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    }
    return DefaultCredentialsProvider.builder().build();
  }

  private static boolean credentialsConfigured() {
    for (String name :
        List.of(
            "AWS_ACCESS_KEY_ID",
            "AWS_PROFILE",
            "AWS_WEB_IDENTITY_TOKEN_FILE",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
      String v = System.getenv(name);
      if (v != null && !v.isBlank()) {
        return true;
      }
    }
    if (System.getProperty("aws.accessKeyId") != null) {
      return true;
    }
    String file = System.getenv("AWS_SHARED_CREDENTIALS_FILE");
    Path credentials =
        file != null
            ? Path.of(file)
            : Path.of(System.getProperty("user.home"), ".aws", "credentials");
    return Files.isRegularFile(credentials);
  }

  /** Creates the table (with TTL) when it does not exist; for local endpoints and tests. */
  public void createTableIfAbsent() {
    call(
        "create table",
        () -> {
          try {
            client.describeTable(b -> b.tableName(table));
          } catch (ResourceNotFoundException e) {
            try {
              client.createTable(
                  b ->
                      b.tableName(table)
                          .billingMode(BillingMode.PAY_PER_REQUEST)
                          .attributeDefinitions(
                              AttributeDefinition.builder()
                                  .attributeName(PK)
                                  .attributeType(ScalarAttributeType.S)
                                  .build(),
                              AttributeDefinition.builder()
                                  .attributeName(SK)
                                  .attributeType(ScalarAttributeType.S)
                                  .build())
                          .keySchema(
                              KeySchemaElement.builder()
                                  .attributeName(PK)
                                  .keyType(KeyType.HASH)
                                  .build(),
                              KeySchemaElement.builder()
                                  .attributeName(SK)
                                  .keyType(KeyType.RANGE)
                                  .build()));
            } catch (ResourceInUseException raced) {
              // Another process created it meanwhile.
            }
            client.waiter().waitUntilTableExists(b -> b.tableName(table));
          }
          TimeToLiveStatus ttl =
              client
                  .describeTimeToLive(b -> b.tableName(table))
                  .timeToLiveDescription()
                  .timeToLiveStatus();
          if (ttl != TimeToLiveStatus.ENABLED && ttl != TimeToLiveStatus.ENABLING) {
            client.updateTimeToLive(
                b ->
                    b.tableName(table)
                        .timeToLiveSpecification(s -> s.enabled(true).attributeName(TTL)));
          }
          return null;
        });
  }

  // Bots and code ---------------------------------------------------------------------------------

  @Override
  public void createBot(Bot bot) {
    Map<String, AttributeValue> item = key(botPk(bot.id()), "BOT");
    item.put("name", s(bot.name()));
    item.put("apiKeyHash", s(bot.apiKeyHash()));
    item.put("codeVersion", n(bot.codeVersion()));
    item.put("createdAt", s(bot.createdAt().toString()));
    call(
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
    return get(botPk(botId), "BOT").flatMap(DynamoStore::toBot);
  }

  @Override
  public BotAndUser botAndUser(String botId, Optional<String> userId) {
    if (userId.isEmpty()) {
      return new BotAndUser(bot(botId), Optional.empty());
    }
    Map<String, AttributeValue> botKey = key(botPk(botId), "BOT");
    Map<String, AttributeValue> userKey = key(botPk(botId), "USER#" + userId.get());
    List<Map<String, AttributeValue>> found = new ArrayList<>();
    Map<String, KeysAndAttributes> pending =
        Map.of(
            table, KeysAndAttributes.builder().keys(botKey, userKey).consistentRead(true).build());
    // Unprocessed keys come back only under load; ask again for them alone.
    for (int round = 0; !pending.isEmpty(); round++) {
      if (round == 5) {
        throw new StoreUnavailableException("DynamoDB left keys unprocessed 5 times", null);
      }
      Map<String, KeysAndAttributes> ask = pending;
      BatchGetItemResponse r =
          call("read bot and user", () -> client.batchGetItem(b -> b.requestItems(ask)));
      found.addAll(r.responses().getOrDefault(table, List.of()));
      pending = r.hasUnprocessedKeys() ? r.unprocessedKeys() : Map.of();
    }
    Optional<Bot> bot = Optional.empty();
    Optional<BotUser> user = Optional.empty();
    for (Map<String, AttributeValue> item : found) {
      if (str(item, SK).equals("BOT")) {
        bot = toBot(item);
      } else {
        user = Optional.of(toUser(botId, item));
      }
    }
    return new BotAndUser(bot, user);
  }

  @Override
  public BotCode code(String botId) {
    // BOT < CMD#... < LIB#... < LIB$: the bot item, its commands and libraries in one range.
    List<Map<String, AttributeValue>> items =
        queryAll(
            QueryRequest.builder()
                .tableName(table)
                .consistentRead(true)
                .keyConditionExpression("#pk = :pk AND #sk BETWEEN :from AND :to")
                .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                .expressionAttributeValues(
                    Map.of(":pk", s(botPk(botId)), ":from", s("BOT"), ":to", s("LIB$"))));
    long version = 0;
    List<Command> commands = new ArrayList<>();
    List<Library> libraries = new ArrayList<>();
    for (Map<String, AttributeValue> item : items) {
      String sk = str(item, SK);
      if (sk.equals("BOT")) {
        version = num(item, "codeVersion");
      } else if (sk.startsWith("CMD#")) {
        commands.add(toCommand(item));
      } else if (sk.startsWith("LIB#")) {
        libraries.add(toLibrary(item));
      }
    }
    return new BotCode(botId, version, commands, libraries);
  }

  @Override
  public Command putCommand(String botId, String name, List<String> aliases, String source) {
    Command stored =
        putCode(
            botId,
            "CMD#" + name,
            old -> {
              long version = old.map(i -> num(i, "version")).orElse(0L) + 1;
              return new Command(name, aliases, source, version);
            },
            c -> {
              Map<String, AttributeValue> item = new HashMap<>();
              item.put("name", s(c.name()));
              item.put(
                  "aliases",
                  AttributeValue.fromL(c.aliases().stream().map(DynamoStore::s).toList()));
              item.put("source", s(c.source()));
              item.put("version", n(c.version()));
              return item;
            });
    return stored;
  }

  @Override
  public Optional<Command> command(String botId, String name) {
    return get(botPk(botId), "CMD#" + name).map(DynamoStore::toCommand);
  }

  @Override
  public boolean deleteCommand(String botId, String name) {
    return deleteCode(botId, "CMD#" + name);
  }

  @Override
  public Library putLibrary(String botId, String name, String source) {
    return putCode(
        botId,
        "LIB#" + name,
        old -> new Library(name, source, old.map(i -> num(i, "version")).orElse(0L) + 1),
        l -> {
          Map<String, AttributeValue> item = new HashMap<>();
          item.put("name", s(l.name()));
          item.put("source", s(l.source()));
          item.put("version", n(l.version()));
          return item;
        });
  }

  @Override
  public Optional<Library> library(String botId, String name) {
    return get(botPk(botId), "LIB#" + name).map(DynamoStore::toLibrary);
  }

  @Override
  public boolean deleteLibrary(String botId, String name) {
    return deleteCode(botId, "LIB#" + name);
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
                .key(key(botPk(botId), "BOT"))
                .updateExpression("ADD #cv :one")
                .expressionAttributeNames(Map.of("#cv", "codeVersion"))
                .expressionAttributeValues(Map.of(":one", n(1)))
                .build())
        .build();
  }

  // Users
  // -------------------------------------------------------------------------------------------

  @Override
  public void putUser(BotUser user) {
    Map<String, AttributeValue> item = key(botPk(user.botId()), "USER#" + user.id());
    item.put("userId", s(user.id()));
    putIfPresent(item, "telegramId", user.telegramId());
    putIfPresent(item, "firstName", user.firstName());
    putIfPresent(item, "lastName", user.lastName());
    putIfPresent(item, "username", user.username());
    call("write user", () -> client.putItem(b -> b.tableName(table).item(item)));
  }

  @Override
  public Optional<BotUser> user(String botId, String userId) {
    return get(botPk(botId), "USER#" + userId).map(i -> toUser(botId, i));
  }

  // Webhooks --------------------------------------------------------------------------------------

  @Override
  public void putWebhook(Webhook hook) {
    Map<String, AttributeValue> attributes = hookAttributes(hook);
    Map<String, AttributeValue> item = key("HOOK#" + hook.id(), "HOOK");
    item.putAll(attributes);
    Map<String, AttributeValue> listing = key(hooksPk(hook.botId()), hookSk(hook));
    listing.putAll(attributes);
    // Two puts, not a transaction: half as many write units, and the only partial state (a hook
    // whose listing put failed) is a hook nobody was given the id of, since the mint failed.
    call(
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
    call("list webhook", () -> client.putItem(b -> b.tableName(table).item(listing)));
  }

  @Override
  public Optional<Webhook> webhook(String hookId) {
    return get("HOOK#" + hookId, "HOOK").map(DynamoStore::toWebhook);
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
                          .key(key("HOOK#" + hookId, "HOOK"))
                          .conditionExpression("#b = :b")
                          .expressionAttributeNames(Map.of("#b", "botId"))
                          .expressionAttributeValues(Map.of(":b", s(botId)))
                          .build())
                  .build(),
              TransactWriteItem.builder()
                  .delete(
                      Delete.builder()
                          .tableName(table)
                          .key(key(hooksPk(botId), hookSk(hook.get())))
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
    return page("h", hooksPk(botId), page, i -> List.of(toWebhook(i)), Optional.empty(), w -> true);
  }

  private Map<String, AttributeValue> hookAttributes(Webhook hook) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("id", s(hook.id()));
    item.put("botId", s(hook.botId()));
    item.put("command", s(hook.command()));
    putIfPresent(item, "userId", hook.userId());
    putIfPresent(item, "content", hook.content());
    putIfPresent(
        item, "redirectTo", hook.redirectTo() == null ? null : hook.redirectTo().toString());
    item.put("createdAt", s(hook.createdAt().toString()));
    if (hook.expiresAt() != null) {
      item.put("expiresAt", s(hook.expiresAt().toString()));
      // DynamoDB deletes it some time after; webhook() callers check the expiry themselves.
      item.put(TTL, n(hook.expiresAt().getEpochSecond()));
    }
    return item;
  }

  private static String hookSk(Webhook hook) {
    return String.format("%013d#%s", hook.createdAt().toEpochMilli(), hook.id());
  }

  // Properties ------------------------------------------------------------------------------------

  @Override
  public Optional<StoredProperty> property(PropertyKey key) {
    return get(botPk(key.botId()), propertySk(key))
        .filter(i -> i.containsKey(PVAL))
        .map(i -> new StoredProperty(key, toValue(i), num(i, VER)));
  }

  @Override
  public void putProperty(PropertyKey key, PropertyValue value) {
    Update u = writeProperty(key, value, null);
    call(
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
    Update u = writeProperty(key, null, null);
    return call(
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

  /**
   * An update that writes (or, for a null value, tombstones) a property and adds one to its
   * version, if {@code expected} holds (null: unconditionally).
   */
  private Update writeProperty(PropertyKey key, PropertyValue value, Long expected) {
    Map<String, String> names = new HashMap<>();
    names.put("#ver", VER);
    names.put("#type", PTYPE);
    names.put("#val", PVAL);
    names.put("#del", DELETED);
    names.put("#ttl", TTL);
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":one", n(1));
    String expression;
    if (value != null) {
      values.put(":type", s(value.type().wireName()));
      values.put(":val", s(Json.write(value.value())));
      expression = "SET #type = :type, #val = :val REMOVE #del, #ttl ADD #ver :one";
    } else {
      values.put(":true", AttributeValue.fromBool(true));
      values.put(":ttl", n(clock.instant().plus(TOMBSTONE_LIFETIME).getEpochSecond()));
      expression = "SET #del = :true, #ttl = :ttl REMOVE #type, #val ADD #ver :one";
    }
    Update.Builder u =
        Update.builder()
            .tableName(table)
            .key(key(botPk(key.botId()), propertySk(key)))
            .updateExpression(expression);
    if (expected != null) {
      u.conditionExpression(versionCondition(expected, values));
    }
    return u.expressionAttributeNames(names).expressionAttributeValues(values).build();
  }

  /** Version 0 means absent: no item yet, or a tombstone (whose version is never 0). */
  private static String versionCondition(long expected, Map<String, AttributeValue> values) {
    if (expected == 0) {
      values.put(":true", AttributeValue.fromBool(true));
      return "attribute_not_exists(#ver) OR #del = :true";
    }
    values.put(":expected", n(expected));
    return "#ver = :expected AND attribute_not_exists(#del)";
  }

  @Override
  public void commit(Commit commit) {
    if (commit.isEmpty()) {
      return;
    }
    Map<PropertyKey, Commit.PropertyWrite> writes = new LinkedHashMap<>();
    commit.writes().forEach(w -> writes.put(w.key(), w));
    Map<PropertyKey, Long> reads = new LinkedHashMap<>();
    for (Commit.PropertyRead r : commit.reads()) {
      if (!writes.containsKey(r.key())) {
        reads.put(r.key(), r.expectedVersion());
      }
    }
    // One item for the token and at least one for the outbox leave 98 for properties.
    if (reads.size() + writes.size() > MAX_COMMIT_PROPERTIES) {
      throw new IllegalStateException(
          "a commit can check and write at most "
              + MAX_COMMIT_PROPERTIES
              + " properties, this one has "
              + (reads.size() + writes.size()));
    }
    String token = requestToken(commit.token());
    List<TransactWriteItem> items = new ArrayList<>();
    // Index 0: its condition fails only if this commit was applied before.
    items.add(
        TransactWriteItem.builder()
            .put(
                Put.builder()
                    .tableName(table)
                    .item(
                        Map.of(
                            PK, s("TOKEN#" + token),
                            SK, s("TOKEN"),
                            TTL, n(clock.instant().plus(TOKEN_LIFETIME).getEpochSecond())))
                    .conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", PK))
                    .build())
            .build());
    reads.forEach(
        (key, expected) -> {
          Map<String, AttributeValue> values = new HashMap<>();
          String condition = versionCondition(expected, values);
          items.add(
              TransactWriteItem.builder()
                  .conditionCheck(
                      ConditionCheck.builder()
                          .tableName(table)
                          .key(key(botPk(key.botId()), propertySk(key)))
                          .conditionExpression(condition)
                          .expressionAttributeNames(Map.of("#ver", VER, "#del", DELETED))
                          .expressionAttributeValues(values)
                          .build())
                  .build());
        });
    for (Commit.PropertyWrite w : writes.values()) {
      items.add(
          TransactWriteItem.builder()
              .update(writeProperty(w.key(), w.value(), w.expectedVersion()))
              .build());
    }
    items.addAll(outboxItems(commit.outbox(), MAX_TRANSACTION_ITEMS - items.size()));
    try {
      transact("commit", items, token);
    } catch (TransactionCanceledException e) {
      List<CancellationReason> reasons =
          e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
      if (!reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code())) {
        return; // applied before: an SDK retry, or the caller's, of a commit that went through
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

  /** DynamoDB takes tokens of at most 36 characters; longer or unusual ones are hashed. */
  static String requestToken(String token) {
    if (PLAIN_TOKEN.matcher(token).matches()) {
      return token;
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 36);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  // Outbox and error log --------------------------------------------------------------------------

  /**
   * One put per entry when they fit in {@code slots}; else entries packed into as few items as
   * their size allows, each item keyed by its newest entry.
   */
  private List<TransactWriteItem> outboxItems(List<OutboxEntry> entries, int slots) {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    if (entries.size() <= slots) {
      for (OutboxEntry e : entries) {
        Map<String, AttributeValue> item = key(outPk(e.botId()), e.id());
        item.putAll(outboxAttributes(e));
        items.add(item);
      }
    } else {
      List<List<OutboxEntry>> packs = new ArrayList<>();
      List<OutboxEntry> pack = new ArrayList<>();
      int bytes = 0;
      for (OutboxEntry e : entries) {
        int size = approximateSize(e);
        boolean full =
            !pack.isEmpty()
                && (bytes + size > MAX_PACK_BYTES || !pack.get(0).botId().equals(e.botId()));
        if (full) {
          packs.add(pack);
          pack = new ArrayList<>();
          bytes = 0;
        }
        pack.add(e);
        bytes += size;
      }
      packs.add(pack);
      if (packs.size() > slots) {
        throw new IllegalStateException(
            "the outbox entries of this commit need "
                + packs.size()
                + " items, only "
                + slots
                + " are left in the transaction");
      }
      for (List<OutboxEntry> p : packs) {
        String newest = p.stream().map(OutboxEntry::id).max(Comparator.naturalOrder()).get();
        Map<String, AttributeValue> item = key(outPk(p.get(0).botId()), newest);
        item.put(
            "entries",
            AttributeValue.fromL(
                p.stream().map(e -> AttributeValue.fromM(outboxAttributes(e))).toList()));
        Set<String> users = new LinkedHashSet<>();
        p.forEach(
            e -> {
              if (e.userId() != null) {
                users.add(e.userId());
              }
            });
        if (!users.isEmpty()) {
          item.put("users", AttributeValue.fromSs(List.copyOf(users)));
        }
        items.add(item);
      }
    }
    return items.stream()
        .map(
            i ->
                TransactWriteItem.builder()
                    .put(Put.builder().tableName(table).item(i).build())
                    .build())
        .toList();
  }

  private static int approximateSize(OutboxEntry e) {
    int size = 200 + e.id().length();
    for (String text : new String[] {e.text(), e.method(), e.hookId(), e.userId()}) {
      size += text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    }
    for (JsonNode json : new JsonNode[] {e.keyboard(), e.params()}) {
      size += json == null ? 0 : Json.write(json).getBytes(StandardCharsets.UTF_8).length;
    }
    return size;
  }

  private static Map<String, AttributeValue> outboxAttributes(OutboxEntry e) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("id", s(e.id()));
    item.put("botId", s(e.botId()));
    putIfPresent(item, "userId", e.userId());
    item.put("kind", s(e.kind().name()));
    putIfPresent(item, "text", e.text());
    putIfPresent(item, "keyboard", e.keyboard() == null ? null : Json.write(e.keyboard()));
    putIfPresent(item, "method", e.method());
    putIfPresent(item, "params", e.params() == null ? null : Json.write(e.params()));
    putIfPresent(item, "hookId", e.hookId());
    item.put("createdAt", s(e.createdAt().toString()));
    return item;
  }

  @Override
  public Page<OutboxEntry> messages(String botId, Optional<String> userId, PageRequest page) {
    Optional<Filter> filter =
        userId.map(
            u ->
                new Filter(
                    "#u = :u OR contains(#us, :u)",
                    Map.of("#u", "userId", "#us", "users"),
                    Map.of(":u", s(u))));
    return page(
        "o",
        outPk(botId),
        page,
        DynamoStore::toOutboxEntries,
        filter,
        e -> userId.isEmpty() || userId.get().equals(e.userId()));
  }

  @Override
  public void logError(ErrorEntry e) {
    Map<String, AttributeValue> item = key(errPk(e.botId()), e.id());
    item.put("id", s(e.id()));
    item.put("botId", s(e.botId()));
    putIfPresent(item, "hookId", e.hookId());
    putIfPresent(item, "command", e.command());
    item.put("message", s(e.message()));
    putIfPresent(item, "limit", e.limit());
    putIfPresent(item, "requestId", e.requestId());
    item.put("createdAt", s(e.createdAt().toString()));
    call("write error entry", () -> client.putItem(b -> b.tableName(table).item(item)));
  }

  @Override
  public Page<ErrorEntry> errors(String botId, PageRequest page) {
    return page("e", errPk(botId), page, i -> List.of(toError(i)), Optional.empty(), e -> true);
  }

  // Scheduled runs --------------------------------------------------------------------------------

  @Override
  public void scheduleRun(ScheduledRun run) {
    Map<String, AttributeValue> item = key(SCHEDULE_PK, scheduleSk(run));
    item.put("id", s(run.id()));
    item.put("botId", s(run.botId()));
    putIfPresent(item, "hookId", run.hookId());
    item.put("message", s(run.message()));
    item.put("options", s(Json.write(run.options())));
    putIfPresent(item, "userId", run.userId());
    item.put("dueAt", s(run.dueAt().toString()));
    item.put("label", s(run.label()));
    item.put("baseUrl", s(run.baseUrl()));
    call("schedule run", () -> client.putItem(b -> b.tableName(table).item(item)));
  }

  @Override
  public List<ScheduledRun> dueRuns(Instant now, int limit) {
    // Sort keys start with the due time, so "due by now" is a key range: everything below
    // the first key of the next millisecond.
    String upTo = String.format("%013d", now.toEpochMilli() + 1);
    QueryResponse r =
        call(
            "read due runs",
            () ->
                client.query(
                    b ->
                        b.tableName(table)
                            .keyConditionExpression("#pk = :pk AND #sk < :upTo")
                            .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                            .expressionAttributeValues(
                                Map.of(":pk", s(SCHEDULE_PK), ":upTo", s(upTo)))
                            .consistentRead(true)
                            .limit(limit)));
    List<ScheduledRun> due = new ArrayList<>();
    for (Map<String, AttributeValue> item : r.items()) {
      due.add(
          new ScheduledRun(
              str(item, "id"),
              str(item, "botId"),
              str(item, "hookId"),
              str(item, "message"),
              json(item, "options"),
              str(item, "userId"),
              instant(item, "dueAt"),
              str(item, "label"),
              str(item, "baseUrl")));
    }
    return due;
  }

  @Override
  public boolean claimRun(ScheduledRun run) {
    try {
      call(
          "claim scheduled run",
          () ->
              client.deleteItem(
                  b ->
                      b.tableName(table)
                          .key(key(SCHEDULE_PK, scheduleSk(run)))
                          .conditionExpression("attribute_exists(#pk)")
                          .expressionAttributeNames(Map.of("#pk", PK))));
      return true;
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof ConditionalCheckFailedException) {
        return false;
      }
      throw e;
    }
  }

  private static String scheduleSk(ScheduledRun run) {
    return String.format("%013d#%s", run.dueAt().toEpochMilli(), run.id());
  }

  // Rate limiting ---------------------------------------------------------------------------------

  @Override
  public long countHit(String clientKey, Instant now) {
    long minute = now.getEpochSecond() / 60;
    UpdateItemResponse r =
        call(
            "count hit",
            () ->
                client.updateItem(
                    b ->
                        b.tableName(table)
                            .key(key("RATE#" + clientKey + "#" + minute, "RATE"))
                            .updateExpression("ADD #hits :one SET #ttl = :ttl")
                            .expressionAttributeNames(Map.of("#hits", "hits", "#ttl", TTL))
                            .expressionAttributeValues(
                                Map.of(":one", n(1), ":ttl", n((minute + 2) * 60)))
                            .returnValues(ReturnValue.UPDATED_NEW)));
    return num(r.attributes(), "hits");
  }

  @Override
  public long requestsByThisThread() {
    return requests.ofThisThread();
  }

  // Paging ----------------------------------------------------------------------------------------

  private record Filter(
      String expression, Map<String, String> names, Map<String, AttributeValue> values) {}

  /** Where a page ended: the sort key of an item and how many of its entries were returned. */
  private record Cursor(String sk, int consumed) {
    String encode(String listing) {
      String text = listing + ":" + consumed + ":" + sk;
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String listing, String cursor) {
      try {
        String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        String[] parts = text.split(":", 3);
        if (parts.length == 3 && parts[0].equals(listing) && !parts[2].isEmpty()) {
          int consumed = Integer.parseInt(parts[1]);
          if (consumed >= 1) {
            return new Cursor(parts[2], consumed);
          }
        }
      } catch (IllegalArgumentException e) {
        throw new InvalidCursorException(cursor, e);
      }
      throw new InvalidCursorException(cursor, null);
    }
  }

  /**
   * Newest first from just below the cursor, expanding packed items, reading on past filtered-out
   * items until the page is full or the partition ends. One item past the page is read so that a
   * cursor is handed out only when more items follow.
   */
  private <T> Page<T> page(
      String listing,
      String pk,
      PageRequest request,
      Function<Map<String, AttributeValue>, List<T>> expand,
      Optional<Filter> filter,
      Predicate<T> accept) {
    Optional<Cursor> cursor = request.cursor().map(c -> Cursor.decode(listing, c));
    Map<String, String> names = new HashMap<>(Map.of("#pk", PK));
    Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", s(pk)));
    String condition = "#pk = :pk";
    if (cursor.isPresent()) {
      condition += " AND #sk <= :sk";
      names.put("#sk", SK);
      values.put(":sk", s(cursor.get().sk()));
    }
    QueryRequest.Builder query =
        QueryRequest.builder()
            .tableName(table)
            .consistentRead(true)
            .scanIndexForward(false)
            .keyConditionExpression(condition);
    if (filter.isPresent()) {
      query.filterExpression(filter.get().expression());
      names.putAll(filter.get().names());
      values.putAll(filter.get().values());
    }
    query.expressionAttributeNames(names).expressionAttributeValues(values);
    int want = request.limit() + 1;
    List<T> items = new ArrayList<>();
    List<Cursor> positions = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      // Every item yields at least one entry; with a filter, read more per round trip.
      int limit = filter.isPresent() ? 200 : want - items.size() + (cursor.isPresent() ? 1 : 0);
      QueryRequest q = query.exclusiveStartKey(start).limit(limit).build();
      QueryResponse r = call("list", () -> client.query(q));
      for (Map<String, AttributeValue> item : r.items()) {
        String sk = str(item, SK);
        List<T> entries = expand.apply(item);
        int skip = cursor.isPresent() && cursor.get().sk().equals(sk) ? cursor.get().consumed() : 0;
        for (int i = skip; i < entries.size() && items.size() < want; i++) {
          if (accept.test(entries.get(i))) {
            items.add(entries.get(i));
            positions.add(new Cursor(sk, i + 1));
          }
        }
        if (items.size() == want) {
          break;
        }
      }
      start =
          r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
    } while (start != null && items.size() < want);
    if (items.size() == want) {
      return new Page<>(
          items.subList(0, request.limit()),
          Optional.of(positions.get(request.limit() - 1).encode(listing)));
    }
    return new Page<>(items, Optional.empty());
  }

  private List<Map<String, AttributeValue>> queryAll(QueryRequest.Builder query) {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      QueryRequest q = query.exclusiveStartKey(start).build();
      QueryResponse r = call("query", () -> client.query(q));
      items.addAll(r.items());
      start =
          r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
    } while (start != null);
    return items;
  }

  // Plumbing
  // ----------------------------------------------------------------------------------------

  private Optional<Map<String, AttributeValue>> get(String pk, String sk) {
    GetItemResponse r =
        call(
            "read " + sk,
            () -> client.getItem(b -> b.tableName(table).key(key(pk, sk)).consistentRead(true)));
    return r.hasItem() && !r.item().isEmpty() ? Optional.of(r.item()) : Optional.empty();
  }

  /**
   * One TransactWriteItems. A cancellation is the caller's to interpret, so it passes through;
   * every other failure is mapped as in {@link #call}.
   */
  private void transact(String what, List<TransactWriteItem> items, String token) {
    call(
        what,
        () -> {
          try {
            return client.transactWriteItems(b -> b.transactItems(items).clientRequestToken(token));
          } catch (TransactionCanceledException e) {
            throw new Cancelled(e);
          }
        });
  }

  /** Carries a cancellation past {@link #call}'s mapping. */
  private static final class Cancelled extends RuntimeException {
    Cancelled(TransactionCanceledException cause) {
      super(cause);
    }
  }

  /**
   * Runs one SDK call, mapping failures: unreachable, timed out, throttled or failing DynamoDB is
   * {@link StoreUnavailableException}; a request DynamoDB refuses is a bug here, so
   * IllegalStateException.
   */
  private <T> T call(String what, Supplier<T> operation) {
    if (serialize.isPresent()) {
      try {
        if (!turn.tryLock(serialize.get().toMillis(), TimeUnit.MILLISECONDS)) {
          throw new StoreUnavailableException("DynamoDB busy: no turn to " + what, null);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreUnavailableException("interrupted waiting to " + what, e);
      }
      try {
        return mapped(what, operation);
      } finally {
        turn.unlock();
      }
    }
    return mapped(what, operation);
  }

  private <T> T mapped(String what, Supplier<T> operation) {
    try {
      return operation.get();
    } catch (Cancelled c) {
      throw (TransactionCanceledException) c.getCause();
    } catch (IdempotentParameterMismatchException e) {
      throw new IllegalStateException(
          "commit token reused for different effects; use a fresh token per run", e);
    } catch (AwsServiceException e) {
      if (e.isThrottlingException()
          || e.statusCode() >= 500
          || e instanceof ResourceNotFoundException
          || e instanceof TransactionInProgressException) {
        throw new StoreUnavailableException(
            "DynamoDB failed to " + what + ": " + e.getMessage(), e);
      }
      throw new IllegalStateException("DynamoDB refused to " + what + ": " + e.getMessage(), e);
    } catch (SdkException e) {
      throw new StoreUnavailableException(
          "DynamoDB unreachable to " + what + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, AttributeValue> key(String pk, String sk) {
    Map<String, AttributeValue> key = new HashMap<>();
    key.put(PK, s(pk));
    key.put(SK, s(sk));
    return key;
  }

  private static String botPk(String botId) {
    return "BOT#" + botId;
  }

  private static String hooksPk(String botId) {
    return "BOT#" + botId + "#HOOKS";
  }

  private static String outPk(String botId) {
    return "BOT#" + botId + "#OUT";
  }

  private static String errPk(String botId) {
    return "BOT#" + botId + "#ERR";
  }

  private static String propertySk(PropertyKey key) {
    return key.userId() == null ? "PROP#" + key.name() : "UPROP#" + key.userId() + "#" + key.name();
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  private static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
    if (value != null) {
      item.put(name, s(value));
    }
  }

  private static String str(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null ? null : v.s();
  }

  private static long num(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
  }

  private static Instant instant(Map<String, AttributeValue> item, String name) {
    String v = str(item, name);
    return v == null ? null : Instant.parse(v);
  }

  private static JsonNode json(Map<String, AttributeValue> item, String name) {
    String v = str(item, name);
    if (v == null) {
      return null;
    }
    try {
      return Json.parse(v);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON in '" + name + "' does not parse", e);
    }
  }

  private static Optional<Bot> toBot(Map<String, AttributeValue> item) {
    if (!item.containsKey("name")) {
      return Optional.empty();
    }
    String botId = str(item, PK).substring("BOT#".length());
    return Optional.of(
        new Bot(
            botId,
            str(item, "name"),
            str(item, "apiKeyHash"),
            num(item, "codeVersion"),
            instant(item, "createdAt")));
  }

  private static Command toCommand(Map<String, AttributeValue> item) {
    AttributeValue aliases = item.get("aliases");
    List<String> names =
        aliases == null || !aliases.hasL()
            ? List.of()
            : aliases.l().stream().map(AttributeValue::s).toList();
    return new Command(str(item, "name"), names, str(item, "source"), num(item, "version"));
  }

  private static Library toLibrary(Map<String, AttributeValue> item) {
    return new Library(str(item, "name"), str(item, "source"), num(item, "version"));
  }

  private static BotUser toUser(String botId, Map<String, AttributeValue> item) {
    return new BotUser(
        botId,
        str(item, "userId"),
        str(item, "telegramId"),
        str(item, "firstName"),
        str(item, "lastName"),
        str(item, "username"));
  }

  private static Webhook toWebhook(Map<String, AttributeValue> item) {
    String redirect = str(item, "redirectTo");
    return new Webhook(
        str(item, "id"),
        str(item, "botId"),
        str(item, "command"),
        str(item, "userId"),
        str(item, "content"),
        redirect == null ? null : URI.create(redirect),
        instant(item, "expiresAt"),
        instant(item, "createdAt"));
  }

  private static PropertyValue toValue(Map<String, AttributeValue> item) {
    PropertyType type =
        PropertyType.fromWireName(str(item, PTYPE))
            .orElseThrow(() -> new IllegalStateException("stored property has no known type"));
    return new PropertyValue(type, json(item, PVAL));
  }

  private static List<OutboxEntry> toOutboxEntries(Map<String, AttributeValue> item) {
    AttributeValue packed = item.get("entries");
    if (packed == null || !packed.hasL()) {
      return List.of(toOutboxEntry(item));
    }
    return packed.l().stream()
        .map(v -> toOutboxEntry(v.m()))
        .sorted(Comparator.comparing(OutboxEntry::id).reversed())
        .toList();
  }

  private static OutboxEntry toOutboxEntry(Map<String, AttributeValue> item) {
    return new OutboxEntry(
        str(item, "id"),
        str(item, "botId"),
        str(item, "userId"),
        OutboxEntry.Kind.valueOf(str(item, "kind")),
        str(item, "text"),
        json(item, "keyboard"),
        str(item, "method"),
        json(item, "params"),
        str(item, "hookId"),
        instant(item, "createdAt"));
  }

  private static ErrorEntry toError(Map<String, AttributeValue> item) {
    return new ErrorEntry(
        str(item, "id"),
        str(item, "botId"),
        str(item, "hookId"),
        str(item, "command"),
        str(item, "message"),
        str(item, "limit"),
        str(item, "requestId"),
        instant(item, "createdAt"));
  }
}
