package dev.botwebhooks.scenarios;

import dev.botwebhooks.core.Store;
import dev.botwebhooks.store.MemoryStore;

class MemoryStoreBotsBusinessFlowsTest extends BotsBusinessFlows {
  @Override
  Store newStore() {
    return new MemoryStore();
  }
}
