package dev.botwebhooks.core;

import java.time.Instant;

/** Claims of queued outbound calls. One role of {@link Store}. */
public interface HttpCallStore {
  /**
   * Claims a queued call before it is made; true for exactly one caller, however often the queue
   * delivers it, so that a call is made at most once. Claims are kept for {@link
   * #CLAIM_RETENTION_DAYS} days, longer than a queue keeps a message.
   */
  boolean claimHttpCall(String callId, Instant now);

  /** SQS keeps a message at most 14 days. */
  int CLAIM_RETENTION_DAYS = 15;
}
