package dev.botwebhooks.reliability;

import dev.botwebhooks.core.Store;
import dev.botwebhooks.store.MemoryStore;

/** Rate limit, hostile HTTP and log lines through the local server, on the embedded store. */
class MemoryStoreEdgeTest extends EdgeScenarios {
  @Override
  Store newStore() {
    return new MemoryStore();
  }

  @Override
  boolean countsRequests() {
    return false;
  }
}
