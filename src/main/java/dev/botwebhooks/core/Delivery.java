package dev.botwebhooks.core;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A delivery id, recorded in the same commit as the effects of the run it started, with the answer
 * that run gave: a repeat of the delivery within its retention is answered the same without
 * running (README "Reliability"). Ids are scoped per hook.
 *
 * @param hookId the hook that was hit
 * @param id the delivery id as the caller sent it, 1-{@link #MAX_ID_CHARS} characters
 * @param answer the answer given, replayed to repeats
 * @param recordedAt when the run committed; a record whose {@code expiresAt} is past may be
 *     replaced
 * @param expiresAt end of retention
 */
public record Delivery(
    String hookId, String id, Answer answer, Instant recordedAt, Instant expiresAt) {
  public static final int MAX_ID_CHARS = 256;

  public Delivery {
    Objects.requireNonNull(hookId, "hookId");
    Objects.requireNonNull(id, "id");
    if (id.isEmpty() || id.length() > MAX_ID_CHARS) {
      throw new IllegalArgumentException("delivery id must be 1-" + MAX_ID_CHARS + " characters");
    }
    Objects.requireNonNull(answer, "answer");
    Objects.requireNonNull(recordedAt, "recordedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  public boolean isLiveAt(Instant now) {
    return now.isBefore(expiresAt);
  }

  /**
   * An HTTP answer as it was sent: status, headers and body.
   *
   * @param body the body, or null when it was too large to keep (a repeat then learns only that
   *     the delivery was processed)
   */
  public record Answer(int status, Map<String, String> headers, String body) {
    /** Bodies up to this many characters are kept: at most 300 KB, within one DynamoDB item. */
    public static final int MAX_KEPT_BODY_CHARS = 100_000;

    public Answer {
      headers = Map.copyOf(headers);
      if (body != null && body.length() > MAX_KEPT_BODY_CHARS) {
        body = null;
      }
    }
  }
}
