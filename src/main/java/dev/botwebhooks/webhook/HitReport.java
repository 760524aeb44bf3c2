package dev.botwebhooks.webhook;

import java.util.Optional;

/**
 * What a hit came to, with the facts its log line needs (README "Configuration", timeouts and the
 * log line).
 *
 * @param botId the hook's bot, once the hook was found
 * @param attempts runs started, re-runs after a conflict included
 * @param limit the limit that was crossed, if one was
 * @param storeRequests requests the store sent to its backend for this hit, from any thread
 * @param hitId the hit's entry in the request log, once written
 */
record HitReport(
    HitOutcome outcome,
    Optional<String> botId,
    int attempts,
    Optional<String> limit,
    long storeRequests,
    Optional<String> hitId) {

  /** An outcome decided before any bot was known or any run started. */
  static HitReport of(HitOutcome outcome, Optional<String> limit) {
    return new HitReport(outcome, Optional.empty(), 0, limit, 0, Optional.empty());
  }

  /** An outcome decided for a hook's bot before any run started. */
  static HitReport ofBot(HitOutcome outcome, String botId) {
    return new HitReport(outcome, Optional.of(botId), 0, Optional.empty(), 0, Optional.empty());
  }

  HitReport withStoreRequests(long requests) {
    return new HitReport(outcome, botId, attempts, limit, requests, hitId);
  }

  HitReport withHitId(Optional<String> logged) {
    return new HitReport(outcome, botId, attempts, limit, storeRequests, logged);
  }
}
