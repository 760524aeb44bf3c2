package dev.botwebhooks.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A failed run, as the bot's owner reads it in the error log.
 *
 * @param hookId the hook whose hit failed, or null
 * @param limit the environment variable of the limit the run crossed, or null
 */
public record ErrorEntry(
    String id,
    String botId,
    String hookId,
    String command,
    String message,
    String limit,
    String requestId,
    Instant createdAt) {
  public ErrorEntry {
    Objects.requireNonNull(id, "id");
    Ids.requireBotId(botId);
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
