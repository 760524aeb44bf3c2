package dev.botwebhooks.store;

import dev.botwebhooks.core.Store;

/** The request-log contract on the embedded in-memory store. */
class MemoryHitLogTest extends HitLogContract {
  @Override
  protected Store newStore() {
    return new MemoryStore();
  }
}
