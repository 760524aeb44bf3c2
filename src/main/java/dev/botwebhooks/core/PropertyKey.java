package dev.botwebhooks.core;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a property lives: a bot, optionally one of its users, and a name. The bot always comes
 * from a trusted record, never from a script.
 *
 * @param userId null for a bot-wide property
 */
public record PropertyKey(String botId, String userId, String name) {
  public static final int MAX_NAME_LENGTH = 256;

  public PropertyKey {
    Ids.requireBotId(botId);
    if (userId != null) {
      Ids.requireUserId(userId);
    }
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "property name must be 1-" + MAX_NAME_LENGTH + " characters, got " + name.length());
    }
  }

  public static PropertyKey ofBot(String botId, String name) {
    return new PropertyKey(botId, null, name);
  }

  public static PropertyKey ofUser(String botId, String userId, String name) {
    return new PropertyKey(botId, userId, name);
  }

  public Optional<String> user() {
    return Optional.ofNullable(userId);
  }

  // Written out: a record's own equals and hashCode are linked at their first call, which spins a
  // dozen method-handle classes on a cold start's path (README "Performance").

  @Override
  public boolean equals(Object o) {
    return o instanceof PropertyKey k
        && botId.equals(k.botId)
        && Objects.equals(userId, k.userId)
        && name.equals(k.name);
  }

  @Override
  public int hashCode() {
    return Objects.hash(botId, userId, name);
  }
}
