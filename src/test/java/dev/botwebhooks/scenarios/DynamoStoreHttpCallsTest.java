package dev.botwebhooks.scenarios;

import dev.botwebhooks.core.Store;
import dev.botwebhooks.store.dynamodb.DynamoDbTestServer;
import org.junit.jupiter.api.extension.ExtendWith;

/** Outbound calls on DynamoDB: the claim and the callbacks' commits on one table. */
@ExtendWith(DynamoDbTestServer.class)
class DynamoStoreHttpCallsTest extends HttpCallScenarios {
  private static Store shared;

  @Override
  Store newStore() {
    synchronized (DynamoStoreHttpCallsTest.class) {
      if (shared == null) {
        shared = DynamoDbTestServer.newStore(DynamoDbTestServer.freshTableName("httpcalls"));
      }
      return shared;
    }
  }
}
