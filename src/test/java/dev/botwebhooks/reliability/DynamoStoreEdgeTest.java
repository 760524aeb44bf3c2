package dev.botwebhooks.reliability;

import dev.botwebhooks.core.Store;
import dev.botwebhooks.store.dynamodb.DynamoDbTestServer;
import org.junit.jupiter.api.extension.ExtendWith;

/** Rate limit, hostile HTTP and log lines through the local server, on DynamoDB. */
@ExtendWith(DynamoDbTestServer.class)
class DynamoStoreEdgeTest extends EdgeScenarios {
  @Override
  Store newStore() {
    // A table per test: rate counters of one test must not count for another.
    return DynamoDbTestServer.newStore(DynamoDbTestServer.freshTableName("edge"));
  }

  @Override
  boolean countsRequests() {
    return true;
  }
}
