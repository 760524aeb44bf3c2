package dev.botwebhooks.webhook;

import java.net.URI;
import java.time.Duration;

/** How a hit ended; {@link WebhookEndpoint#toResponse} maps each to SPEC §4's row. */
sealed interface HitOutcome {

  /** The command ran: {@code {"answer": text}}, text null when it sent nothing. */
  record Answer(String text) implements HitOutcome {}

  /** The command ran and called {@code WebApp.render}. */
  record Rendered(String content, String mimeType) implements HitOutcome {}

  /** The command ran and the hook has a redirect target. */
  record Redirect(URI location) implements HitOutcome {}

  /** The command failed; details are in the bot's error log. */
  record CommandFailed() implements HitOutcome {}

  /** Unknown, revoked or expired hook: all answer alike. */
  record NotFound() implements HitOutcome {}

  record RateLimited(Duration retryAfter) implements HitOutcome {}

  record StoreUnavailable(Duration retryAfter) implements HitOutcome {}
}
