package dev.botwebhooks.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code Bot.run} call with {@code run_after > 0}, kept until it is due.
 *
 * @param hookId the hook whose hit asked for it (for the outbox and error log)
 * @param message the command string to run
 * @param userId the user to run as; null for none
 * @param baseUrl the API's base URL as the hit saw it, for URLs the run mints
 */
public record ScheduledRun(
    String id,
    String botId,
    String hookId,
    String message,
    JsonNode options,
    String userId,
    Instant dueAt,
    String label,
    String baseUrl) {
  public ScheduledRun {
    Objects.requireNonNull(id, "id");
    Ids.requireBotId(botId);
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(options, "options");
    if (userId != null) {
      Ids.requireUserId(userId);
    }
    Objects.requireNonNull(dueAt, "dueAt");
    label = label == null ? "" : label;
    Objects.requireNonNull(baseUrl, "baseUrl");
  }

  public Optional<String> user() {
    return Optional.ofNullable(userId);
  }
}
