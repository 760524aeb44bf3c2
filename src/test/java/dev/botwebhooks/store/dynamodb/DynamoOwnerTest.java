package dev.botwebhooks.store.dynamodb;

import dev.botwebhooks.core.Store;
import dev.botwebhooks.store.OwnerContract;
import org.junit.jupiter.api.extension.ExtendWith;

/** The owner-calls contract on DynamoDB, a fresh table per test so bot listings see only its bots. */
@ExtendWith(DynamoDbTestServer.class)
class DynamoOwnerTest extends OwnerContract {
  @Override
  protected Store newStore() {
    return DynamoDbTestServer.newStore(DynamoDbTestServer.freshTableName("owner"));
  }
}
