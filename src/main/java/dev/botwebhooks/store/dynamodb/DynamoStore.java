package dev.botwebhooks.store.dynamodb;

import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.Store;

/** The DynamoDB store: one table. */
public abstract class DynamoStore implements Store {
  /** A store for these settings: region and endpoint from them, the SDK's URL connection client. */
  public static DynamoStore create(Settings settings) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** Creates the table (with TTL) when it does not exist; for local endpoints and tests. */
  public abstract void createTableIfAbsent();
}
