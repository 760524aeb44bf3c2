package dev.botwebhooks.webhook;

import dev.botwebhooks.core.RunResult;
import dev.botwebhooks.core.Webhook;
import java.net.URI;
import dev.botwebhooks.core.Delivery;
import java.time.Duration;
import java.util.Optional;

/**
 * Every way a hit can end. {@link WebhookEndpoint#toResponse} maps each to its status, headers and
 * body (README "What a hit answers") in one switch without a default, so an outcome added here
 * does not compile until it is answered.
 */
sealed interface HitOutcome {

  /** What a completed command chain answers: the hook's redirect, a page, or the last message. */
  static HitOutcome of(RunResult.Completed completed, Webhook hook) {
    if (hook.redirect().isPresent()) {
      return new Redirect(hook.redirect().get());
    }
    if (completed.rendered().isPresent()) {
      RunResult.Rendered page = completed.rendered().get();
      return new Rendered(page.content(), page.mimeType());
    }
    return new Answer(completed.lastMessage().orElse(null));
  }

  /** The command ran: {@code {"answer": text}}, text null when it sent nothing. */
  record Answer(String text) implements HitOutcome {}

  /** The command ran and called {@code WebApp.render}. */
  record Rendered(String content, String mimeType) implements HitOutcome {}

  /** The command ran and the hook has a redirect target. */
  record Redirect(URI location) implements HitOutcome {}

  /** The command failed; details are in the bot's error log. */
  record CommandFailed(String reason) implements HitOutcome {}

  /** Unknown, revoked, expired or malformed hook id: all answer alike. */
  record NotFound() implements HitOutcome {}

  /** A path outside {@code /hooks/}, which this endpoint does not serve. */
  record NoRoute() implements HitOutcome {}

  /** A method other than GET and POST. */
  record MethodNotAllowed() implements HitOutcome {}

  /**
   * A browser fetching the hook as a service worker's script (README "What a hit answers"): a
   * worker registered from one bot's page would take over every hook's page in that browser.
   */
  record ServiceWorkerRefused() implements HitOutcome {}

  /** A body over {@code MAX_BODY_BYTES}. */
  record BodyTooLarge(int maxBytes) implements HitOutcome {}

  record RateLimited(Duration retryAfter) implements HitOutcome {}

  /** DynamoDB unreachable, slow or throttled past its retries, before, in or after a run. */
  record StoreUnavailable(Duration retryAfter) implements HitOutcome {}

  /** A bug of ours: logged with the request id, answered with a fixed body. */
  record InternalError() implements HitOutcome {}

  /** A repeat of a recorded delivery: its first answer again (README "Reliability"). */
  record Replayed(Delivery.Answer answer) implements HitOutcome {}

  /** A repeat of a delivery that another hit is still running, past the time to wait for it. */
  record DeliveryInProgress(Duration retryAfter) implements HitOutcome {}

  /**
   * The run's commit may or may not have applied: the store could not tell within the hit's time.
   *
   * @param deliveryId the hit's delivery id, with which a retry is answered from its record
   */
  record OutcomeUnknown(Duration retryAfter, Optional<String> deliveryId) implements HitOutcome {}
}
