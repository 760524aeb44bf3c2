package dev.botwebhooks.core;

import java.time.Instant;
import java.util.List;

/**
 * Outbound calls of committed runs, kept by their commits until one claims them (README "Outbound
 * HTTP calls"). One role of {@link Store}.
 */
public interface HttpCallStore {
  /** Kept calls due at {@code now}, earliest first, at most {@code limit}. */
  List<HttpCall> dueCalls(Instant now, int limit);

  /**
   * Takes a kept call out before it is made; true for exactly one caller, however often the queue
   * delivers it and however many polls see it, so that a call is made at most once.
   */
  boolean claimHttpCall(HttpCall call);
}
