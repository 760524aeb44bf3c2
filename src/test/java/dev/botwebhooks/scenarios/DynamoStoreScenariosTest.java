package dev.botwebhooks.scenarios;

import dev.botwebhooks.core.Store;
import dev.botwebhooks.store.dynamodb.DynamoDbTestServer;
import org.junit.jupiter.api.extension.ExtendWith;

/** The webhook flows on DynamoDB: one table, each test with its own bot. */
@ExtendWith(DynamoDbTestServer.class)
class DynamoStoreScenariosTest extends HitScenarios {
  private static Store shared;

  @Override
  Store newStore() {
    synchronized (DynamoStoreScenariosTest.class) {
      if (shared == null) {
        shared = DynamoDbTestServer.newStore(DynamoDbTestServer.freshTableName("scenarios"));
      }
      return shared;
    }
  }
}
