package dev.botwebhooks.webhook;

import dev.botwebhooks.core.Delivery;
import dev.botwebhooks.core.PropertyStore;
import dev.botwebhooks.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Idempotent delivery (README "Reliability"): a hit with a delivery id first looks for the
 * delivery's record, and replays its answer if there is one; a copy of a delivery that another hit
 * of this process is running waits for it; the run's commit records the delivery with its answer,
 * on condition that no copy recorded it first (so copies running in other processes cannot both
 * commit either).
 */
final class Deliveries {
  /** What a copy that found its delivery still running elsewhere is told to wait. */
  static final Duration BUSY_RETRY_AFTER = Duration.ofSeconds(1);

  private final PropertyStore store;
  private final Clock clock;
  private final Duration retention;
  private final Map<String, CountDownLatch> running = new ConcurrentHashMap<>();

  Deliveries(PropertyStore store, Clock clock, Duration retention) {
    this.store = store;
    this.clock = clock;
    this.retention = retention;
  }

  /**
   * What a hit with a delivery id does: run it (then {@link #release}), or answer without running
   * (the first answer replayed, or come back later).
   */
  sealed interface Admission {
    record Run(Ticket ticket) implements Admission {}

    record Answered(HitOutcome outcome) implements Admission {}
  }

  /** A hit's turn to run a delivery in this process. */
  record Ticket(String hookId, String id, CountDownLatch done) {}

  /** One read when the delivery is recorded; a wait, within the deadline, when it is running. */
  Admission admit(String hookId, String id, Instant deadline) {
    Optional<Delivery> recorded = store.delivery(hookId, id, clock.instant());
    if (recorded.isPresent()) {
      return new Admission.Answered(new HitOutcome.Replayed(recorded.get().answer()));
    }
    String key = hookId + "\n" + id;
    while (true) {
      CountDownLatch mine = new CountDownLatch(1);
      CountDownLatch other = running.putIfAbsent(key, mine);
      if (other == null) {
        return new Admission.Run(new Ticket(hookId, id, mine));
      }
      if (!await(other, deadline)) {
        return new Admission.Answered(new HitOutcome.DeliveryInProgress(BUSY_RETRY_AFTER));
      }
      recorded = store.delivery(hookId, id, clock.instant());
      if (recorded.isPresent()) {
        return new Admission.Answered(new HitOutcome.Replayed(recorded.get().answer()));
      }
      // The other copy ended without recording it (its run failed): this one runs it.
    }
  }

  /** The first answer of a recorded delivery, if its record is live; nothing runs. */
  Optional<HitOutcome> recorded(String hookId, String id) {
    return store
        .delivery(hookId, id, clock.instant())
        .map(d -> new HitOutcome.Replayed(d.answer()));
  }

  void release(Ticket ticket) {
    running.remove(ticket.hookId() + "\n" + ticket.id(), ticket.done());
    ticket.done().countDown();
  }

  /** The record a run's commit writes: this answer, kept for the retention. */
  Delivery record(Ticket ticket, HttpResponse answer) {
    Instant now = clock.instant();
    return new Delivery(
        ticket.hookId(),
        ticket.id(),
        new Delivery.Answer(answer.status(), answer.headers(), answer.body()),
        now,
        now.plus(retention));
  }

  /** After a commit refused as a duplicate: the answer of the copy that committed first. */
  HitOutcome firstAnswer(Ticket ticket) {
    return store
        .delivery(ticket.hookId(), ticket.id(), clock.instant())
        .<HitOutcome>map(d -> new HitOutcome.Replayed(d.answer()))
        .orElseGet(() -> new HitOutcome.DeliveryInProgress(BUSY_RETRY_AFTER));
  }

  private boolean await(CountDownLatch latch, Instant deadline) {
    long millis = Duration.between(clock.instant(), deadline).toMillis();
    try {
      return millis > 0 && latch.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
