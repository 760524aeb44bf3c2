package dev.botwebhooks.core;

/**
 * Everything the service keeps. Two implementations pass the same contract tests: DynamoDB (one
 * table) and in-memory (the embedded default). Failures to reach the store are {@link
 * StoreUnavailableException}; a refused commit is {@link CommitConflictException}. Listings are
 * newest first.
 */
public interface Store
    extends BotStore,
        CodeStore,
        UserStore,
        WebhookStore,
        PropertyStore,
        LogStore,
        HitLogStore,
        ScheduleStore,
        HitCounter {

  // Observability ---------------------------------------------------------------------------------

  /**
   * How many requests this store has sent to its backend from the calling thread so far (every
   * attempt, retries included); a hit reads it before and after to log what it cost. Zero for a
   * store without a backend.
   */
  default long requestsByThisThread() {
    return 0;
  }
}
