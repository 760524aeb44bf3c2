package dev.botwebhooks.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The buffered effects of one successful run, applied by {@link Store#commit} all together or not
 * at all.
 *
 * @param reads properties the run read but did not write, with the version it saw (0: absent);
 *     the commit fails if any changed since
 * @param writes properties the run wrote, each with the version it expected (0: absent)
 * @param outbox messages and recorded API calls, in the order the run made them
 * @param token idempotency token: a commit retried with the same token applies once
 * @param delivery the delivery id to record with the effects, refused (with {@link
 *     DuplicateDeliveryException}) when a live record of it exists
 * @param hit the hit's request-log entry, written in the same transaction (README "The request
 *     log"), so that logging a hit that commits costs no request of its own
 * @param charge the hit's count against the rate limit, added in the same transaction, which
 *     holds only while the client is below the limit ({@link RateLimitedException}); only with
 *     {@code hit}
 * @param runs the run's {@code Bot.run} calls, kept in the schedule with its effects, so that a
 *     run that commits never loses them (README "Reliability", follow-up runs)
 * @param calls the run's outbound calls, kept with its effects until one claims them, so that a
 *     run that commits never loses them (README "Outbound HTTP calls")
 * @param takes the kept run this commit is the run of, taken out of the schedule with its
 *     effects, on condition that it is still there ({@link RunTakenException}): a kept run's
 *     effects apply once however many pollers and chains run it (README "Reliability")
 */
public record Commit(
    String botId,
    List<PropertyRead> reads,
    List<PropertyWrite> writes,
    List<OutboxEntry> outbox,
    String token,
    Optional<Delivery> delivery,
    Optional<HitRecord> hit,
    Optional<RateCharge> charge,
    List<ScheduledRun> runs,
    List<HttpCall> calls,
    Optional<ScheduledRun> takes) {
  public Commit {
    Ids.requireBotId(botId);
    reads = List.copyOf(reads);
    writes = List.copyOf(writes);
    outbox = List.copyOf(outbox);
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(hit, "hit");
    Objects.requireNonNull(charge, "charge");
    if (charge.isPresent() && hit.isEmpty()) {
      throw new IllegalArgumentException("a rate charge comes with the hit's request-log entry");
    }
    runs = List.copyOf(runs);
    calls = List.copyOf(calls);
    Objects.requireNonNull(takes, "takes");
  }

  /** A commit that keeps no run and no call. */
  public Commit(
      String botId,
      List<PropertyRead> reads,
      List<PropertyWrite> writes,
      List<OutboxEntry> outbox,
      String token,
      Optional<Delivery> delivery,
      Optional<HitRecord> hit,
      Optional<RateCharge> charge) {
    this(
        botId, reads, writes, outbox, token, delivery, hit, charge, List.of(), List.of(),
        Optional.empty());
  }

  /** A commit without a request-log entry. */
  public Commit(
      String botId,
      List<PropertyRead> reads,
      List<PropertyWrite> writes,
      List<OutboxEntry> outbox,
      String token,
      Optional<Delivery> delivery) {
    this(botId, reads, writes, outbox, token, delivery, Optional.empty(), Optional.empty());
  }

  /** A commit that records no delivery and no request-log entry. */
  public Commit(
      String botId,
      List<PropertyRead> reads,
      List<PropertyWrite> writes,
      List<OutboxEntry> outbox,
      String token) {
    this(botId, reads, writes, outbox, token, Optional.empty());
  }

  /** The same effects, logged with this hit. */
  public Commit withHit(HitRecord hitRecord) {
    return withHit(hitRecord, Optional.empty());
  }

  /** The same effects, logged with this hit, which counts against the rate limit by charge. */
  public Commit withHit(HitRecord hitRecord, Optional<RateCharge> rateCharge) {
    return new Commit(
        botId, reads, writes, outbox, token, delivery, Optional.of(hitRecord), rateCharge, runs,
        calls, takes);
  }

  /** The same effects, with these runs kept in the schedule. */
  public Commit withRuns(List<ScheduledRun> scheduled) {
    return new Commit(
        botId, reads, writes, outbox, token, delivery, hit, charge, scheduled, calls, takes);
  }

  /** The same effects, with these outbound calls kept until one claims them. */
  public Commit withCalls(List<HttpCall> kept) {
    return new Commit(
        botId, reads, writes, outbox, token, delivery, hit, charge, runs, kept, takes);
  }

  /** The same effects, as the run of this kept run, which the commit takes out of the schedule. */
  public Commit taking(ScheduledRun run) {
    return new Commit(
        botId, reads, writes, outbox, token, delivery, hit, charge, runs, calls, Optional.of(run));
  }

  /**
   * The runs and calls the commit keeps, and the run it takes: each is one item of its
   * transaction.
   */
  public int keptItems() {
    return runs.size() + calls.size() + (takes.isPresent() ? 1 : 0);
  }

  /**
   * Most properties one commit may read or write, runs it may schedule and calls it may keep,
   * together: with its idempotency token, its delivery record, its rate charge, its hit's
   * request-log entry and one (packed) outbox item it still fits in one DynamoDB transaction of
   * 100 items.
   */
  public static final int MAX_PROPERTIES = 95;

  /**
   * Nothing to write: no property, no message, no run or call to keep or take, no delivery to
   * record (a request-log entry alone does not count).
   */
  public boolean isEmpty() {
    return writes.isEmpty()
        && outbox.isEmpty()
        && runs.isEmpty()
        && calls.isEmpty()
        && takes.isEmpty()
        && delivery.isEmpty();
  }

  /** A property read whose version must still hold at commit time. */
  public record PropertyRead(PropertyKey key, long expectedVersion) {}

  /**
   * A property write.
   *
   * @param value the new value, or null to delete
   */
  public record PropertyWrite(PropertyKey key, long expectedVersion, PropertyValue value) {}
}
