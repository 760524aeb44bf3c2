package dev.botwebhooks.core;

/**
 * A user of a bot, as scripts see it in {@code user}. Fields the service does not know are null.
 */
public record BotUser(
    String botId,
    String id,
    String telegramId,
    String firstName,
    String lastName,
    String username) {
  public BotUser {
    Ids.requireBotId(botId);
    Ids.requireUserId(id);
  }

  /** A user known only by id. */
  public static BotUser unknown(String botId, String id) {
    return new BotUser(botId, id, null, null, null, null);
  }
}
