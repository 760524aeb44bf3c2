package dev.botwebhooks.scenarios;

import dev.botwebhooks.core.Store;
import dev.botwebhooks.store.dynamodb.DynamoDbTestServer;
import org.junit.jupiter.api.extension.ExtendWith;

/** The flows from public exports on DynamoDB: one table, each test with its own bot. */
@ExtendWith(DynamoDbTestServer.class)
class DynamoStoreExportFlowsTest extends ExportFlows {
  private static Store shared;

  @Override
  Store newStore() {
    synchronized (DynamoStoreExportFlowsTest.class) {
      if (shared == null) {
        shared = DynamoDbTestServer.newStore(DynamoDbTestServer.freshTableName("exportflows"));
      }
      return shared;
    }
  }
}
