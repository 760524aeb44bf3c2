package dev.botwebhooks.scenarios;

import dev.botwebhooks.core.Store;
import dev.botwebhooks.store.dynamodb.DynamoDbTestServer;
import org.junit.jupiter.api.extension.ExtendWith;

/** The git import on DynamoDB: the archive's commands written where hits read them. */
@ExtendWith(DynamoDbTestServer.class)
class DynamoStoreGitImportTest extends GitImportScenarios {
  private static Store shared;

  @Override
  Store newStore() {
    synchronized (DynamoStoreGitImportTest.class) {
      if (shared == null) {
        shared = DynamoDbTestServer.newStore(DynamoDbTestServer.freshTableName("gitimport"));
      }
      return shared;
    }
  }
}
