package dev.botwebhooks.reliability;

import dev.botwebhooks.core.Store;
import dev.botwebhooks.store.dynamodb.DynamoDbTestServer;
import org.junit.jupiter.api.extension.ExtendWith;

/** The request log and replays through the local server, on DynamoDB. */
@ExtendWith(DynamoDbTestServer.class)
class DynamoStoreReplayTest extends ReplayScenarios {
  @Override
  Store newStore() {
    return DynamoDbTestServer.newStore(DynamoDbTestServer.freshTableName("replay"));
  }
}
