package dev.botwebhooks.botapi;

import dev.botwebhooks.core.Store;
import dev.botwebhooks.store.dynamodb.DynamoDbTestServer;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bot API contract on DynamoDB (the server the tests start by themselves). One table serves
 * every test: each test creates its own bots.
 */
@ExtendWith(DynamoDbTestServer.class)
class DynamoStoreBotApiTest extends BotApiContract {
  private static Store shared;

  @Override
  protected Store newStore() {
    synchronized (DynamoStoreBotApiTest.class) {
      if (shared == null) {
        shared = DynamoDbTestServer.newStore(DynamoDbTestServer.freshTableName("bot-api"));
      }
      return shared;
    }
  }
}
