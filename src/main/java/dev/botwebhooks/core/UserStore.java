package dev.botwebhooks.core;

import java.util.Optional;

/** The users of a bot, as scripts see them in {@code user}. One role of {@link Store}. */
public interface UserStore {
  void putUser(BotUser user);

  Optional<BotUser> user(String botId, String userId);
}
