package dev.botwebhooks.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * A message a command sent, or a Telegram API call it asked for, kept for delivery.
 *
 * @param userId the user it is for; null for a global hook
 * @param text the message text (kind MESSAGE)
 * @param keyboard the keyboard or the options passed with the message, or null
 * @param method the Telegram method (kind API_CALL)
 * @param params the call's parameters (kind API_CALL), or null
 */
public record OutboxEntry(
    String id,
    String botId,
    String userId,
    Kind kind,
    String text,
    JsonNode keyboard,
    String method,
    JsonNode params,
    String hookId,
    Instant createdAt) {

  /** What an entry holds. */
  public enum Kind {
    MESSAGE("message"),
    API_CALL("api_call");

    private final String wireName;

    Kind(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  public OutboxEntry {
    Objects.requireNonNull(id, "id");
    Ids.requireBotId(botId);
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
