package dev.botwebhooks.wiring;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.botwebhooks.botapi.BotApi;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.HttpCallQueue;
import dev.botwebhooks.console.ConsoleAssets;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.Minter;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.core.StoreUnavailableException;
import dev.botwebhooks.core.Bot;
import dev.botwebhooks.core.Commit;
import dev.botwebhooks.core.CommitConflictException;
import dev.botwebhooks.core.PropertyKey;
import dev.botwebhooks.core.PropertyType;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.core.MintRequest;
import dev.botwebhooks.egress.EgressClient;
import dev.botwebhooks.egress.EgressSettings;
import dev.botwebhooks.http.HttpEndpoint;
import dev.botwebhooks.oplog.OperatorLog;
import dev.botwebhooks.queue.SqsCallQueue;
import dev.botwebhooks.script.RhinoScriptRuntime;
import dev.botwebhooks.store.MemoryStore;
import dev.botwebhooks.store.dynamodb.DynamoStore;
import dev.botwebhooks.webhook.HitService;
import dev.botwebhooks.webhook.HttpCallExecutor;
import dev.botwebhooks.webhook.InProcessCallQueue;
import dev.botwebhooks.webhook.OutboundCalls;
import dev.botwebhooks.webhook.Replays;
import dev.botwebhooks.webhook.WebhookEndpoint;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * The parts of one deployment, wired once per container (or once per local server): a store, and
 * the two HTTP endpoints that the two functions serve.
 */
public final class Deployment {
  private final Settings settings;
  private final Store store;
  private final IdGenerator ids;
  private final Clock clock;
  private final Minter minter;
  private final EgressSettings egress;
  private final Optional<HttpCallQueue> remoteQueue;
  private HitService hitService;
  private RhinoScriptRuntime runtime;
  private ScriptRuntimeAhead runtimeAhead;
  private InProcessCallQueue localQueue;
  private HttpCallExecutor httpCalls;
  private Replays replays;

  private static final String PRIME_BOT = "prime";
  private static final String PRIME_BASE_URL = "http://localhost";

  /**
   * Touches what real commands use most: JSON, templates, properties, messages, CryptoJS. It reads
   * a JSON body when there is one (a POST) and the query's parameters either way (a GET too).
   */
  private static final String PRIME_COMMAND =
      String.join(
          "\n",
          "var data = content ? JSON.parse(content) : { order: { items: [{ qty: 1, price: 2 }] } };",
          "var total = data.order.items.reduce((t, it) => t + it.qty * it.price, 0);",
          "var seen = User.getProperty('seen', 0) + 1;",
          "User.setProperty('seen', seen, 'integer');",
          "Bot.setProperty({ name: 'last', value: { total: total }, type: 'json' });",
          "var sign = CryptoJS.HmacSHA256(content, 'key').toString();",
          "Bot.sendMessage(`total ${total.toFixed(2)} ${sign.length} ${options.params.order}`);",
          "Bot.sendMessage(inspect({ seen: seen }));");

  public Deployment(Settings settings, Store store, IdGenerator ids, Clock clock) {
    this(settings, store, ids, clock, EgressSettings.fromEnvironment(), Optional.empty());
  }

  /**
   * @param egress the outbound-call settings
   * @param remoteQueue where committed runs' calls go (SQS in AWS); empty: an in-process executor
   */
  public Deployment(
      Settings settings,
      Store store,
      IdGenerator ids,
      Clock clock,
      EgressSettings egress,
      Optional<HttpCallQueue> remoteQueue) {
    this.egress = egress;
    this.remoteQueue = remoteQueue;
    this.settings = settings;
    this.store = store;
    this.ids = ids;
    this.clock = clock;
    this.minter = new Minter(store, ids, clock);
  }

  /** In AWS: the DynamoDB table named by the settings. */
  public static Deployment onDynamoDb(Settings settings) {
    return onDynamoDb(settings, Optional.empty());
  }

  /** {@link #onDynamoDb(Settings)}, taking its script runtime from {@code runtime} when given. */
  public static Deployment onDynamoDb(Settings settings, Optional<ScriptRuntimeAhead> runtime) {
    return new Deployment(
            settings,
            DynamoStore.create(settings),
            IdGenerator.secure(),
            Clock.systemUTC(),
            EgressSettings.fromEnvironment(),
            SqsCallQueue.fromEnvironment(settings.region()).map(q -> q))
        .withRuntime(runtime);
  }

  /**
   * Locally: the DynamoDB endpoint of the settings (creating the table if absent) when one is set,
   * else the embedded in-memory store.
   */
  public static Deployment local(Settings settings) {
    return local(settings, Optional.empty(), Optional.empty());
  }

  /**
   * {@link #local(Settings)}, with the embedded store (not a DynamoDB endpoint) seeded first, and
   * taking its script runtime from {@code runtime} when given.
   */
  public static Deployment local(
      Settings settings, Optional<Seed> seed, Optional<ScriptRuntimeAhead> runtime) {
    if (settings.dynamoDbEndpoint().isPresent()) {
      DynamoStore dynamo = DynamoStore.create(settings);
      dynamo.createTableIfAbsent();
      return new Deployment(settings, dynamo, IdGenerator.secure(), Clock.systemUTC())
          .withRuntime(runtime);
    }
    MemoryStore store = new MemoryStore();
    Clock clock = Clock.systemUTC();
    seed.ifPresent(s -> s.loadInto(store, clock));
    Settings seeded = seed.map(s -> s.applyTo(settings)).orElse(settings);
    return new Deployment(seeded, store, IdGenerator.secure(), clock).withRuntime(runtime);
  }

  private Deployment withRuntime(Optional<ScriptRuntimeAhead> ahead) {
    runtimeAhead = ahead.orElse(null);
    return this;
  }

  public Settings settings() {
    return settings;
  }

  public Store store() {
    return store;
  }

  public HttpEndpoint webhooks() {
    return new WebhookEndpoint(hitService(), settings, clock);
  }

  /** Runs of this deployment abandoned past their deadline (zero until the first hit). */
  public synchronized int abandonedRuns() {
    return runtime == null ? 0 : runtime.abandonedRuns();
  }

  /**
   * Runs that make this process untrusted with other bots' runs: those abandoned past their
   * deadline, and those of the whole process that ended in an error that may break the JVM for
   * later runs (README "When a run does not stop").
   */
  public int untrustingRuns() {
    return abandonedRuns() + RhinoScriptRuntime.faultedInProcess();
  }

  /** The hit service, built on first use: the Rhino runtime is only needed by the hit path. */
  public synchronized HitService hitService() {
    if (hitService == null) {
      HttpCallQueue queue = remoteQueue.orElseGet(() -> localQueue = new InProcessCallQueue());
      hitService =
          new HitService(
              store, runtime(), minter, ids, clock, settings,
              OperatorLog.toStandardError(OperatorLog.WEBHOOK_FUNCTION, clock),
              OutboundCalls.to(queue, egress));
      if (localQueue != null) {
        localQueue.bind(call -> httpCalls().execute(call));
      }
    }
    return hitService;
  }

  /**
   * What makes queued outbound calls and runs their callbacks (README "Outbound HTTP calls"),
   * built on first use: a hit only queues its calls, and the executor's TLS set-up (the JDK's
   * trust store) would cost every webhook cold start about 100 ms (README "Performance").
   */
  public synchronized HttpCallExecutor httpCalls() {
    if (httpCalls == null) {
      httpCalls =
          new HttpCallExecutor(
              store, hitService(), EgressClient.standard(egress), egress,
              settings.limits().scriptTime(), ids, clock,
              OperatorLog.toStandardError(OperatorLog.HTTP_CALL_FUNCTION, clock));
    }
    return httpCalls;
  }

  /** The in-process queue of outbound calls, when there is no remote one (locally). */
  public synchronized Optional<InProcessCallQueue> localCallQueue() {
    hitService();
    return Optional.ofNullable(localQueue);
  }

  private synchronized RhinoScriptRuntime runtime() {
    if (runtime == null) {
      runtime =
          runtimeAhead != null
              ? runtimeAhead.get()
              : new RhinoScriptRuntime(settings.limits(), clock);
      runtimeAhead = null;
    }
    return runtime;
  }

  /**
   * A webhook hit for a function's init to run end to end, which SnapStart then snapshots: a hook
   * endpoint with this deployment's script runtime over a throwaway in-memory store holding one
   * bot, the path of that bot's hook and a JSON order to POST to it (the caller may send a GET of
   * the same path too). It writes no log line (it is not a request).
   */
  public record PrimingHit(HttpEndpoint endpoint, String path, String jsonBody) {}

  /**
   * Loads a hit's classes and code paths before the first real request: runs the {@link
   * PrimingHit} {@code times} times through {@code send} (the caller's own way in, e.g. as a
   * Lambda event); the real store is not touched ({@link #primeStore} readies it). Every other hit runs a new version of the
   * priming command, which it compiles, and the hit after it runs that version again, as most real
   * hits do, from the compiled scripts: the first request's own command is then compiled by a
   * compiler that has run before, and the next request's is found where a lookup has found one
   * before, as the rest of their hit is (README "Performance").
   *
   * @return the status the last primed hit answered (200 when the hit path works)
   */
  public int primeHitPath(int times, ToIntFunction<PrimingHit> send) {
    hitService();
    Store scratch = new MemoryStore();
    Minter scratchMinter = new Minter(scratch, ids, clock);
    scratch.createBot(new Bot(PRIME_BOT, PRIME_BOT, "-", 0, clock.instant()));
    // Bots have several commands (a bot's lists then take the shape they take in real hits).
    scratch.putCommand(PRIME_BOT, "/start", List.of("/help"), "Bot.sendMessage('hi')");
    scratch.putCommand(PRIME_BOT, "/onError", List.of(), "Bot.sendMessage('failed')");
    scratch.putCommand(PRIME_BOT, "/prime", List.of(), PRIME_COMMAND);
    String hookId =
        scratchMinter
            .mint(PRIME_BOT, MintRequest.forUser("/prime", "1"), PRIME_BASE_URL)
            .webhook()
            .id();
    // Priming hits are no client's: however low RATE_LIMIT_PER_MINUTE is, every one runs.
    Settings priming =
        settings.withLimits(settings.limits().withRateLimitPerMinute(Integer.MAX_VALUE));
    HitService hits = new HitService(scratch, runtime(), scratchMinter, ids, clock, priming);
    PrimingHit hit =
        new PrimingHit(
            new WebhookEndpoint(hits, priming, OperatorLog.silent(OperatorLog.WEBHOOK_FUNCTION)),
            "/hooks/" + hookId,
            "{\"order\":{\"items\":[{\"qty\":2,\"price\":1.5}]}}");
    int status = 0;
    for (int i = 0; i < times; i++) {
      if (i > 0 && i % 2 == 0) {
        scratch.putCommand(PRIME_BOT, "/prime", List.of(), PRIME_COMMAND);
      }
      status = send.applyAsInt(hit);
    }
    runtime().forgetCompiled(PRIME_BOT);
    return status;
  }

  /**
   * Waits, at most {@code limit}, until the script runtime's spare scopes for the next runs are
   * made: a snapshotted init waits for them before its last priming hits, after which the first
   * request finds one ready (README "Performance").
   */
  public void awaitSpareScopes(Duration limit) {
    runtime().awaitSpareScopes(limit);
  }

  /**
   * The first reads of a hit, on the real store, for ids that do not exist: the store's client
   * (for DynamoDB: the SDK's marshalling, signing, HTTP client and a connection) is then ready
   * before the first request instead of costing it hundreds of milliseconds. Best effort: a store
   * that does not answer now fails the first hit, not the init.
   */
  public void primeStore() {
    try {
      store.startHit(ids.randomId(), Optional.of("init"), clock.instant(), bot -> false);
      store.botAndUser(PRIME_BOT, Optional.of("1"));
    } catch (StoreUnavailableException e) {
      System.err.println("store not primed in init: " + e.getMessage());
    }
  }

  /**
   * Sends the real store a commit bound to be refused, so that its client has built and sent a
   * hit's commit (for DynamoDB a {@code TransactWriteItems} with a property's write and
   * condition and the idempotency token) before the first request, without writing anything: the
   * commit also checks a property read at a version no property ever reaches, so all of it is
   * cancelled. Worth it only when init is off the request's path (README "Performance"). Best
   * effort, as {@link #primeHitPath}.
   */
  public void primeCommit() {
    try {
      store.commit(primingCommit());
    } catch (CommitConflictException e) {
      // As it must be: nothing was written.
    } catch (StoreUnavailableException e) {
      System.err.println("store commit not primed in init: " + e.getMessage());
    }
  }

  private Commit primingCommit() {
    PropertyKey key = new PropertyKey(PRIME_BOT, "1", "primed");
    return new Commit(
        PRIME_BOT,
        List.of(new Commit.PropertyRead(new PropertyKey(PRIME_BOT, "1", "never"), Long.MAX_VALUE)),
        List.of(new Commit.PropertyWrite(key, 0, new PropertyValue(PropertyType.STRING,
            TextNode.valueOf("x")))),
        List.of(),
        ids.randomId());
  }

  /** The bot API, and the web console that speaks it under {@code /console}. */
  public HttpEndpoint botApi() {
    BotApi api =
        new BotApi(
            store, minter, ids, clock, settings, (hit, commit) -> replays().replay(hit, commit));
    ConsoleAssets console = new ConsoleAssets();
    return request ->
        ConsoleAssets.serves(request.path()) ? console.handle(request) : api.handle(request);
  }

  /** Replays of logged hits, built on first use: they need the hit path's script runtime. */
  private synchronized Replays replays() {
    if (replays == null) {
      replays = new Replays(store, runtime(), ids, clock, settings, hitService());
    }
    return replays;
  }
}
