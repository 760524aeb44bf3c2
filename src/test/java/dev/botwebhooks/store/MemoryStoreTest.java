package dev.botwebhooks.store;

import dev.botwebhooks.core.Store;
import org.junit.jupiter.api.Nested;

/** The store contract on the embedded in-memory store. */
class MemoryStoreTest extends StoreContract {
  @Override
  protected Store newStore() {
    return new MemoryStore();
  }

  @Nested
  class Outcomes extends CommitOutcomeContract {
    @Override
    protected Store newStore() {
      return new MemoryStore();
    }
  }
}
