package dev.botwebhooks.core;

import java.util.Optional;

/**
 * What a bot asks for when it mints a webhook URL, as it came (from the API's JSON or a script's
 * {@code Libs.Webhooks.getUrlFor}); {@link Minter} validates it.
 */
public record MintRequest(
    String command,
    Optional<String> content,
    Optional<String> userId,
    Optional<String> redirectTo,
    Optional<Long> expiresInSeconds,
    Optional<String> deliveryKey) {

  public MintRequest(
      String command,
      Optional<String> content,
      Optional<String> userId,
      Optional<String> redirectTo,
      Optional<Long> expiresInSeconds) {
    this(command, content, userId, redirectTo, expiresInSeconds, Optional.empty());
  }

  /** A hook of {@code command} for user {@code userId}: no content, redirect or expiry. */
  public static MintRequest forUser(String command, String userId) {
    return new MintRequest(
        command, Optional.empty(), Optional.of(userId), Optional.empty(), Optional.empty());
  }
}
