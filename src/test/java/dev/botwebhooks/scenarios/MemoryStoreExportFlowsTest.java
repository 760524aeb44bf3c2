package dev.botwebhooks.scenarios;

import dev.botwebhooks.core.Store;
import dev.botwebhooks.store.MemoryStore;

class MemoryStoreExportFlowsTest extends ExportFlows {
  @Override
  Store newStore() {
    return new MemoryStore();
  }
}
