package dev.botwebhooks.store;

import dev.botwebhooks.core.Store;

/** The store contract on the embedded in-memory store. */
class MemoryStoreTest extends StoreContract {
  @Override
  protected Store newStore() {
    return new MemoryStore();
  }
}
