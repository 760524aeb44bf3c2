package dev.botwebhooks.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A bot: its public id and name, the hash of its API key, and the version of its code (bumped by
 * every command or library write, so caches of the bot's code know when to reload).
 */
public record Bot(String id, String name, String apiKeyHash, long codeVersion, Instant createdAt) {
  public Bot {
    Ids.requireBotId(id);
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(apiKeyHash, "apiKeyHash");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
