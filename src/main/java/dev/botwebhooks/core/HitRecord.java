package dev.botwebhooks.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a bot's request log (README "The request log"): a webhook hit as it came in and as
 * it was answered. The stores index it by bot, time, hook and status and keep {@code detail}, the
 * JSON the bot API shows, as it is.
 *
 * @param id time-ordered, so that ids sort newest last
 * @param status the HTTP status the hit was answered with
 * @param expiresAt when the store may forget it (the retention period; a TTL on DynamoDB)
 * @param detail the request (secrets redacted, body capped), the answer, the run's effects
 */
public record HitRecord(
    String id,
    String botId,
    String hookId,
    int status,
    Instant receivedAt,
    Instant expiresAt,
    ObjectNode detail) {
  public HitRecord {
    Objects.requireNonNull(id, "id");
    Ids.requireBotId(botId);
    Objects.requireNonNull(hookId, "hookId");
    Objects.requireNonNull(receivedAt, "receivedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(detail, "detail");
  }

  /** Which hits a listing shows: all, or those of one hook and/or one status. */
  public record Filter(Optional<String> hookId, Optional<Integer> status) {
    public static final Filter ALL = new Filter(Optional.empty(), Optional.empty());

    public boolean accepts(HitRecord hit) {
      return hookId.map(hit.hookId()::equals).orElse(true)
          && status.map(s -> s == hit.status()).orElse(true);
    }
  }
}
