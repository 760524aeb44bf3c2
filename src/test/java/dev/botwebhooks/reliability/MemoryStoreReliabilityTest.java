package dev.botwebhooks.reliability;

import dev.botwebhooks.core.Store;
import dev.botwebhooks.store.MemoryStore;

/** Concurrency and limits through the local server, on the embedded store. */
class MemoryStoreReliabilityTest extends ConcurrencyAndLimitScenarios {
  @Override
  Store newStore() {
    return new MemoryStore();
  }

  @Override
  Store sameDataAs(Store store) {
    return store;
  }
}
