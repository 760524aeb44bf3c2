package dev.botwebhooks.core;

import java.util.Optional;

/** Bots, as created by the admin and loaded by a hit. One role of {@link Store}. */
public interface BotStore {
  /** Creates a bot; fails with IllegalStateException if the id is taken. */
  void createBot(Bot bot);

  Optional<Bot> bot(String botId);

  /** A bot and, when {@code userId} is given, that user if registered: one round trip. */
  BotAndUser botAndUser(String botId, Optional<String> userId);

  /** A bot and maybe one of its users, as loaded together for a hit. */
  record BotAndUser(Optional<Bot> bot, Optional<BotUser> user) {}
}
