package dev.botwebhooks.reliability;

import dev.botwebhooks.core.Store;
import dev.botwebhooks.store.MemoryStore;

/** The request log and replays through the local server, on the embedded store. */
class MemoryStoreReplayTest extends ReplayScenarios {
  @Override
  Store newStore() {
    return new MemoryStore();
  }
}
