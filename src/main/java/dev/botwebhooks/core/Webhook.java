package dev.botwebhooks.core;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A minted webhook. Everything but the id is stored server-side, so a caller cannot change the
 * command, user, content or redirect target by editing the URL.
 *
 * @param userId the user the command runs for; null for a global hook
 * @param content stored content passed to the command when a hit has no body; null if none
 * @param redirectTo where a successful hit redirects; null for a JSON answer
 * @param expiresAt when the hook stops answering; null if never
 * @param deliveryKey where a hit's delivery id is, set by the owner (README "Reliability"); null
 *     for the recognised headers only
 */
public record Webhook(
    String id,
    String botId,
    String command,
    String userId,
    String content,
    URI redirectTo,
    Instant expiresAt,
    Instant createdAt,
    DeliveryKey deliveryKey) {
  public Webhook {
    if (!Ids.isHookId(id)) {
      throw new IllegalArgumentException("webhook id must be 16-64 of [A-Za-z0-9_-], got " + id);
    }
    Ids.requireBotId(botId);
    Objects.requireNonNull(command, "command");
    if (userId != null) {
      Ids.requireUserId(userId);
    }
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** A hook without a delivery key of its own. */
  public Webhook(
      String id,
      String botId,
      String command,
      String userId,
      String content,
      URI redirectTo,
      Instant expiresAt,
      Instant createdAt) {
    this(id, botId, command, userId, content, redirectTo, expiresAt, createdAt, null);
  }

  public Optional<DeliveryKey> delivery() {
    return Optional.ofNullable(deliveryKey);
  }

  public Optional<String> user() {
    return Optional.ofNullable(userId);
  }

  public Optional<URI> redirect() {
    return Optional.ofNullable(redirectTo);
  }

  public boolean isLiveAt(Instant now) {
    return expiresAt == null || now.isBefore(expiresAt);
  }
}
