package dev.botwebhooks.core;

import java.util.Optional;

/** Bots, as created by the admin and loaded by a hit. One role of {@link Store}. */
public interface BotStore {
  /** Creates a bot; fails with IllegalStateException if the id is taken. */
  void createBot(Bot bot);

  Optional<Bot> bot(String botId);

  /** Every bot, a page at a time, in an order of the store's choosing (each bot once). */
  Page<Bot> bots(PageRequest page);

  /**
   * Replaces the hash of a bot's API key, so that the old key stops working at once; false when
   * there is no such bot.
   */
  boolean replaceApiKeyHash(String botId, String apiKeyHash);

  /**
   * Deletes a bot and what README "The bot API" (deleting a bot) says goes with it; at once the
   * bot, its key and its hooks are gone. False when there is no such bot.
   */
  boolean deleteBot(String botId);

  /** A bot and, when {@code userId} is given, that user if registered: one round trip. */
  BotAndUser botAndUser(String botId, Optional<String> userId);

  /** A bot and maybe one of its users, as loaded together for a hit. */
  record BotAndUser(Optional<Bot> bot, Optional<BotUser> user) {}
}
