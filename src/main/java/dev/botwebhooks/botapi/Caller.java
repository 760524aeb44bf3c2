package dev.botwebhooks.botapi;

import java.util.Optional;

/**
 * Who made an authenticated call: the operator holding the admin key, or one bot holding its own
 * key.
 *
 * @param botId the bot whose key was presented; empty for the admin
 */
record Caller(Optional<String> botId) {
  static Caller admin() {
    return new Caller(Optional.empty());
  }

  static Caller bot(String botId) {
    return new Caller(Optional.of(botId));
  }

  boolean isAdmin() {
    return botId.isEmpty();
  }
}
