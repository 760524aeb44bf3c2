package dev.botwebhooks.wiring;

import dev.botwebhooks.botapi.BotApi;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.Minter;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.http.HttpEndpoint;
import dev.botwebhooks.script.RhinoScriptRuntime;
import dev.botwebhooks.store.MemoryStore;
import dev.botwebhooks.store.dynamodb.DynamoStore;
import dev.botwebhooks.webhook.HitService;
import dev.botwebhooks.webhook.WebhookEndpoint;
import java.time.Clock;

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
  private HitService hitService;

  public Deployment(Settings settings, Store store, IdGenerator ids, Clock clock) {
    this.settings = settings;
    this.store = store;
    this.ids = ids;
    this.clock = clock;
    this.minter = new Minter(store, ids, clock);
  }

  /** In AWS: the DynamoDB table named by the settings. */
  public static Deployment onDynamoDb(Settings settings) {
    return new Deployment(
        settings, DynamoStore.create(settings), IdGenerator.secure(), Clock.systemUTC());
  }

  /**
   * Locally: the DynamoDB endpoint of the settings (creating the table if absent) when one is set,
   * else the embedded in-memory store.
   */
  public static Deployment local(Settings settings) {
    Store store;
    if (settings.dynamoDbEndpoint().isPresent()) {
      DynamoStore dynamo = DynamoStore.create(settings);
      dynamo.createTableIfAbsent();
      store = dynamo;
    } else {
      store = new MemoryStore();
    }
    return new Deployment(settings, store, IdGenerator.secure(), Clock.systemUTC());
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

  /** The hit service, built on first use: the Rhino runtime is only needed by the hit path. */
  public synchronized HitService hitService() {
    if (hitService == null) {
      hitService =
          new HitService(
              store,
              new RhinoScriptRuntime(settings.limits(), clock),
              minter,
              ids,
              clock,
              settings);
    }
    return hitService;
  }

  public HttpEndpoint botApi() {
    return new BotApi(store, minter, ids, clock, settings);
  }
}
