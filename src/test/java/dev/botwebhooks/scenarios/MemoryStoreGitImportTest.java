package dev.botwebhooks.scenarios;

import dev.botwebhooks.core.Store;
import dev.botwebhooks.store.MemoryStore;

class MemoryStoreGitImportTest extends GitImportScenarios {
  @Override
  Store newStore() {
    return new MemoryStore();
  }
}
