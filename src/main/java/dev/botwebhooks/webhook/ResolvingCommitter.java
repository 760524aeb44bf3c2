package dev.botwebhooks.webhook;

import dev.botwebhooks.core.Commit;
import dev.botwebhooks.core.PropertyStore;
import dev.botwebhooks.core.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Commits a run's effects and, when the store's answer is lost (a timeout, a connection cut after
 * the request went out), finds out whether the commit applied before the hit answers: it reads
 * back the commit's token marker and, if the commit is not there, sends it again under the same
 * token, which applies at most once (README "Reliability"). It keeps trying until the hit's
 * deadline, and at least {@link #MIN_WINDOW} after the lost answer; only a store that stays
 * unreachable that long leaves the outcome unknown.
 */
final class ResolvingCommitter {
  /** One store call's timeout: a commit lost at the deadline still gets one more look. */
  static final Duration MIN_WINDOW = Duration.ofSeconds(2);

  private static final Duration FIRST_PAUSE = Duration.ofMillis(20);
  private static final Duration MAX_PAUSE = Duration.ofMillis(400);

  private final PropertyStore store;
  private final Clock clock;

  ResolvingCommitter(PropertyStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * Applies {@code commit}, or learns that it had applied.
   *
   * @throws dev.botwebhooks.core.CommitConflictException not applied: a property changed
   * @throws dev.botwebhooks.core.DuplicateDeliveryException not applied: its delivery is recorded
   * @throws dev.botwebhooks.core.RunTakenException not applied: the kept run it takes was taken
   * @throws OutcomeUnknownException the store could not say in time
   */
  void commit(Commit commit, Instant deadline) {
    StoreUnavailableException lost;
    try {
      store.commit(commit);
      return;
    } catch (StoreUnavailableException e) {
      lost = e;
    }
    Instant atLeast = clock.instant().plus(MIN_WINDOW);
    Instant until = deadline.isAfter(atLeast) ? deadline : atLeast;
    Duration pause = FIRST_PAUSE;
    while (clock.instant().plus(pause).isBefore(until)) {
      sleep(pause);
      pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
      try {
        if (!store.isApplied(commit)) {
          store.commit(commit); // the same token: applies once, however many copies arrive
        }
        return;
      } catch (StoreUnavailableException e) {
        lost = e;
      }
    }
    throw new OutcomeUnknownException(lost);
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The store stayed unreachable while the hit had time: the commit may or may not have applied. */
  static final class OutcomeUnknownException extends RuntimeException {
    OutcomeUnknownException(StoreUnavailableException last) {
      super("outcome unknown: the store did not confirm or deny the commit", last);
    }

    /** What the error log says: the request, its delivery, the last failure and what to do. */
    String describe(String requestId, Optional<String> deliveryId) {
      return "outcome unknown: the commit of request "
          + requestId
          + deliveryId.map(id -> ", delivery " + id).orElse(", no delivery id")
          + ", could not be confirmed within the hit's time ("
          + getCause().getMessage()
          + "); "
          + (deliveryId.isPresent()
              ? "a retry with this delivery id replays its answer if it applied, else runs"
              : "a retry runs again");
    }
  }
}
