package dev.botwebhooks.scenarios;

import dev.botwebhooks.core.Store;
import dev.botwebhooks.store.dynamodb.DynamoDbTestServer;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Bots.Business flows on DynamoDB: one table, each test with its own bot. */
@ExtendWith(DynamoDbTestServer.class)
class DynamoStoreBotsBusinessFlowsTest extends BotsBusinessFlows {
  private static Store shared;

  @Override
  Store newStore() {
    synchronized (DynamoStoreBotsBusinessFlowsTest.class) {
      if (shared == null) {
        shared = DynamoDbTestServer.newStore(DynamoDbTestServer.freshTableName("bbflows"));
      }
      return shared;
    }
  }
}
