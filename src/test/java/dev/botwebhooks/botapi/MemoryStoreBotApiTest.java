package dev.botwebhooks.botapi;

import dev.botwebhooks.core.Store;
import dev.botwebhooks.store.MemoryStore;

/** The bot API contract on the embedded store. */
class MemoryStoreBotApiTest extends BotApiContract {
  @Override
  protected Store newStore() {
    return new MemoryStore();
  }
}
