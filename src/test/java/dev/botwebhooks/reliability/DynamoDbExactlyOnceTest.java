package dev.botwebhooks.reliability;

import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.store.dynamodb.DynamoDbFaultProxy;
import dev.botwebhooks.store.dynamodb.DynamoDbFaultProxy.Fault;
import dev.botwebhooks.store.dynamodb.DynamoDbTestServer;
import dev.botwebhooks.store.dynamodb.DynamoStore;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exactly once on DynamoDB (the test server), through a proxy that cuts transactions' connections
 * after forwarding them, delays, stalls, and honours request tokens as DynamoDB does.
 */
@ExtendWith(DynamoDbTestServer.class)
class DynamoDbExactlyOnceTest extends ExactlyOnceScenarios {
  /** Short enough that a stalled read ends within a hit, long enough for a busy test server. */
  private static final DynamoStore.Timeouts TIMEOUTS =
      new DynamoStore.Timeouts(Duration.ofMillis(1500), Duration.ofSeconds(3), 2);

  private DynamoDbFaultProxy proxy;

  @Override
  Store faultyStore() throws Exception {
    proxy = new DynamoDbFaultProxy(30);
    String table = DynamoDbTestServer.freshTableName("exactly-once");
    DynamoDbTestServer.newStore(table); // the table, made directly
    Settings settings =
        Settings.from(
            Map.of(
                Settings.Env.TABLE_NAME, table,
                Settings.Env.DYNAMODB_ENDPOINT, proxy.endpoint(),
                Settings.Env.AWS_REGION, "us-east-1"));
    return DynamoStore.create(settings, TIMEOUTS);
  }

  @Override
  void cutEveryFifthCommitAnswer() {
    proxy.policy(
        r -> {
          if (r.token() == null) {
            return Fault.PASS;
          }
          return r.transaction() % 5 == 0 ? Fault.CUT_AFTER_FORWARD : Fault.DELAY;
        });
  }

  @Override
  void leaveCommitsInDoubt(int every) {
    proxy.policy(
        r -> {
          if (r.token() != null) {
            return r.transaction() % every == 0 ? Fault.CUT_AFTER_FORWARD : Fault.PASS;
          }
          // The reads that would tell whether a commit applied.
          return r.operation().equals("GetItem") && r.body().contains("TOKEN#")
              ? Fault.STALL
              : Fault.PASS;
        });
  }

  @Override
  void heal() {
    proxy.policy(r -> Fault.PASS);
  }

  @Override
  int lostCommitAnswers() {
    return proxy.cutConnections();
  }

  @AfterEach
  void closeProxy() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
  }
}
