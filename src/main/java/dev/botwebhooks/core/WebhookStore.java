package dev.botwebhooks.core;

import java.util.Optional;

/** Minted hooks. One role of {@link Store}. */
public interface WebhookStore {
  void putWebhook(Webhook webhook);

  /** The hook with this id, whatever its state; expiry is the caller's to check. */
  Optional<Webhook> webhook(String hookId);

  /** Revokes a hook of this bot; false if the bot has no such hook. */
  boolean revokeWebhook(String botId, String hookId);

  Page<Webhook> webhooks(String botId, PageRequest page);
}
