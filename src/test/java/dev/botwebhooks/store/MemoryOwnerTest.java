package dev.botwebhooks.store;

import dev.botwebhooks.core.Store;

/** The owner-calls contract on the embedded in-memory store. */
class MemoryOwnerTest extends OwnerContract {
  @Override
  protected Store newStore() {
    return new MemoryStore();
  }
}
