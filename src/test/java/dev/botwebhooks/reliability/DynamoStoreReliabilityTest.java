package dev.botwebhooks.reliability;

import dev.botwebhooks.core.Store;
import dev.botwebhooks.store.dynamodb.DynamoDbTestServer;
import dev.botwebhooks.store.dynamodb.DynamoStore;
import org.junit.jupiter.api.extension.ExtendWith;

/** Concurrency and limits through the local server, on DynamoDB: one table, a bot per test. */
@ExtendWith(DynamoDbTestServer.class)
class DynamoStoreReliabilityTest extends ConcurrencyAndLimitScenarios {
  private static final String TABLE = DynamoDbTestServer.freshTableName("reliability");
  private static DynamoStore shared;

  @Override
  Store newStore() {
    synchronized (DynamoStoreReliabilityTest.class) {
      if (shared == null) {
        shared = DynamoDbTestServer.newStore(TABLE);
      }
      return shared;
    }
  }

  @Override
  Store sameDataAs(Store store) {
    return DynamoDbTestServer.newStore(TABLE);
  }
}
