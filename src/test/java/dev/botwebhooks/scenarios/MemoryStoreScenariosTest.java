package dev.botwebhooks.scenarios;

import dev.botwebhooks.core.Store;
import dev.botwebhooks.store.MemoryStore;

class MemoryStoreScenariosTest extends HitScenarios {
  @Override
  Store newStore() {
    return new MemoryStore();
  }
}
