package dev.botwebhooks.scenarios;

import dev.botwebhooks.core.Store;
import dev.botwebhooks.store.MemoryStore;

class MemoryStoreHttpCallsTest extends HttpCallScenarios {
  @Override
  Store newStore() {
    return new MemoryStore();
  }
}
