package dev.botwebhooks.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.botwebhooks.core.Bot;
import dev.botwebhooks.core.Commit;
import dev.botwebhooks.core.Delivery;
import dev.botwebhooks.core.DuplicateDeliveryException;
import dev.botwebhooks.core.HitRecord;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.OutboxEntry;
import dev.botwebhooks.core.PageRequest;
import dev.botwebhooks.core.PropertyKey;
import dev.botwebhooks.core.PropertyType;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.core.RateCharge;
import dev.botwebhooks.core.RateLimitedException;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.core.StoredProperty;
import dev.botwebhooks.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every store does for exactly-once answers (README "Reliability"): it can tell whether a
 * commit applied, applies a commit sent twice once, and records a delivery id with a run's effects
 * so that a second copy of the delivery cannot commit.
 */
public abstract class CommitOutcomeContract {
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  private static final Duration RETENTION = Duration.ofHours(24);

  private final IdGenerator ids = IdGenerator.secure();
  private Store store;
  private String botId;
  private PropertyKey counter;

  protected abstract Store newStore();

  @BeforeEach
  void setUpStore() {
    store = newStore();
    botId = "bot-" + ids.random(6);
    store.createBot(new Bot(botId, "Outcome bot", "hash", 0, T0));
    counter = PropertyKey.ofBot(botId, "n");
  }

  @Test
  void isApplied_falseBeforeTheCommit_trueAfter() {
    Commit commit = increment(Optional.empty());

    assertThat(store.isApplied(commit)).isFalse();
    store.commit(commit);

    assertThat(store.isApplied(commit)).isTrue();
    assertThat(store.isApplied(increment(Optional.empty()))).isFalse();
  }

  @Test
  void commit_sentAgainWithItsToken_appliesOnce() {
    Commit commit = increment(Optional.empty());

    store.commit(commit);
    store.commit(commit);
    store.commit(commit);

    assertThat(value()).isEqualTo(1);
    assertThat(outbox()).hasSize(1);
  }

  @Test
  void delivery_recordedWithTheEffects_readBackAsItWasGiven() {
    Delivery delivery = delivery("hook-a", "evt_1", T0);

    assertThat(store.delivery("hook-a", "evt_1", T0)).isEmpty();
    store.commit(increment(Optional.of(delivery)));

    assertThat(store.delivery("hook-a", "evt_1", T0.plusSeconds(1))).contains(delivery);
    assertThat(store.delivery("hook-b", "evt_1", T0.plusSeconds(1))).isEmpty();
    assertThat(store.delivery("hook-a", "evt_2", T0.plusSeconds(1))).isEmpty();
    assertThat(value()).isEqualTo(1);
  }

  @Test
  void delivery_secondCopy_isRefusedAndAppliesNothing() {
    store.commit(increment(Optional.of(delivery("hook-a", "evt_1", T0))));
    Commit copy = increment(Optional.of(delivery("hook-a", "evt_1", T0.plusSeconds(5))));

    assertThatThrownBy(() -> store.commit(copy)).isInstanceOf(DuplicateDeliveryException.class);

    assertThat(store.isApplied(copy)).isFalse();
    assertThat(value()).isEqualTo(1);
    assertThat(outbox()).hasSize(1);
    assertThat(store.delivery("hook-a", "evt_1", T0.plusSeconds(6)).orElseThrow().recordedAt())
        .isEqualTo(T0);
  }

  /**
   * Two copies of a delivery that ran side by side, reading the same versions: the second is a
   * repeat of the first (answered with its answer), not a conflict to run again, on every store.
   */
  @Test
  void delivery_copyThatAlsoReadStaleVersions_isARepeat_notAConflict() {
    Commit first = increment(Optional.of(delivery("hook-a", "evt_1", T0)));
    Commit ran = increment(Optional.of(delivery("hook-a", "evt_1", T0.plusSeconds(1))));
    // The copy also read the counter, at the version the first changed.
    Commit copy =
        new Commit(
            botId,
            List.of(new Commit.PropertyRead(counter, ran.writes().get(0).expectedVersion())),
            ran.writes(),
            ran.outbox(),
            ran.token(),
            ran.delivery());
    store.commit(first);

    assertThatThrownBy(() -> store.commit(copy)).isInstanceOf(DuplicateDeliveryException.class);

    assertThat(value()).isEqualTo(1);
  }

  @Test
  void delivery_sameCommitSentAgain_isAppliedOnceWithoutARefusal() {
    Commit commit = increment(Optional.of(delivery("hook-a", "evt_1", T0)));

    store.commit(commit);
    store.commit(commit);

    assertThat(value()).isEqualTo(1);
  }

  @Test
  void delivery_afterItsRetention_isForgottenAndMayBeRecordedAgain() {
    store.commit(increment(Optional.of(delivery("hook-a", "evt_1", T0))));
    Instant later = T0.plus(RETENTION).plusSeconds(1);

    assertThat(store.delivery("hook-a", "evt_1", later)).isEmpty();
    store.commit(increment(Optional.of(delivery("hook-a", "evt_1", later))));

    assertThat(value()).isEqualTo(2);
    assertThat(store.delivery("hook-a", "evt_1", later).orElseThrow().recordedAt())
        .isEqualTo(later);
  }

  @Test
  void delivery_ofARunThatWroteNothing_isStillRecorded() {
    Delivery delivery = delivery("hook-a", "read-only", T0);

    store.commit(new Commit(botId, List.of(), List.of(), List.of(), ids.randomId(),
        Optional.of(delivery)));

    assertThat(store.delivery("hook-a", "read-only", T0)).contains(delivery);
  }

  @Test
  void delivery_anyTextAsId_isKeptAsSent() {
    String id = "ключ / with spaces # and \u0000 " + "x".repeat(200);
    Delivery delivery = delivery("hook-a", id, T0);

    store.commit(increment(Optional.of(delivery)));

    assertThat(store.delivery("hook-a", id, T0)).contains(delivery);
  }

  private Delivery delivery(String hookId, String id, Instant at) {
    return new Delivery(
        hookId,
        id,
        new Delivery.Answer(
            200,
            Map.of("Content-Type", "application/json", "Cache-Control", "no-store"),
            "{\"answer\":\"n=1 ✓\"}"),
        at,
        at.plus(RETENTION));
  }

  @Test
  void deliveryAndRateCharge_eachRefusalNamesItsOwnCause_andAppliesNothing() {
    // Within the current minute, so that the counter's expiry lies ahead.
    Instant at = Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(5);
    String client = "198.51.100." + ids.random(4);
    store.commit(
        increment(Optional.of(delivery("hook-a", "evt_rate", T0)))
            .withHit(hit(), Optional.of(RateCharge.of(client, at, 2))));

    // The same delivery again, its client below the limit: a duplicate.
    assertThatThrownBy(
            () ->
                store.commit(
                    increment(Optional.of(delivery("hook-a", "evt_rate", T0)))
                        .withHit(hit(), Optional.of(RateCharge.of(client, at, 2)))))
        .isInstanceOf(DuplicateDeliveryException.class);
    // Another delivery, its client at the limit: refused by the rate limit, nothing recorded.
    assertThatThrownBy(
            () ->
                store.commit(
                    increment(Optional.of(delivery("hook-a", "evt_other", T0)))
                        .withHit(hit(), Optional.of(RateCharge.of(client, at, 1)))))
        .isInstanceOf(RateLimitedException.class);

    assertThat(store.delivery("hook-a", "evt_other", T0)).isEmpty();
    assertThat(value()).isEqualTo(1);
    assertThat(outbox()).hasSize(1);
    assertThat(store.hitsSoFar(client, at)).isEqualTo(1);
  }

  /**
   * The largest commit a store takes: every property it allows, a delivery, a rate charge, more
   * messages than a transaction has items, and its hit's request-log entry, which rides in the
   * same transaction (so a commit found applied after a lost answer has its entry too).
   */
  @Test
  void commit_ofMostPropertiesWithDeliveryChargeAndManyMessages_appliesWholeWithItsHit() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(5);
    String client = "198.51.100." + ids.random(4);
    List<Commit.PropertyWrite> writes = new java.util.ArrayList<>();
    for (int i = 0; i < Commit.MAX_PROPERTIES; i++) {
      writes.add(
          new Commit.PropertyWrite(
              PropertyKey.ofBot(botId, "p" + i), 0,
              new PropertyValue(PropertyType.INTEGER, IntNode.valueOf(i))));
    }
    List<OutboxEntry> messages = new java.util.ArrayList<>();
    for (int i = 0; i < 150; i++) {
      messages.add(
          new OutboxEntry(
              ids.timeOrderedId(now), botId, null, OutboxEntry.Kind.MESSAGE, "m" + i, null, null,
              null, null, now));
    }
    HitRecord hit =
        new HitRecord(ids.timeOrderedId(now), botId, "hook-a", 200, now, now.plus(RETENTION),
            Json.object());
    Commit commit =
        new Commit(botId, List.of(), writes, messages, ids.randomId(),
                Optional.of(delivery("hook-a", "evt_big", now)))
            .withHit(hit, Optional.of(RateCharge.of(client, now, 5)));

    store.commit(commit);
    store.commit(commit); // its answer lost: sent again

    assertThat(store.property(PropertyKey.ofBot(botId, "p" + (Commit.MAX_PROPERTIES - 1))))
        .hasValueSatisfying(p -> assertThat(p.version()).isEqualTo(1));
    var first = store.messages(botId, Optional.empty(), PageRequest.first(100));
    assertThat(first.items()).hasSize(100);
    assertThat(
            store.messages(botId, Optional.empty(), new PageRequest(100, first.nextCursor()))
                .items())
        .hasSize(50);
    assertThat(store.hit(botId, hit.id())).isPresent();
    assertThat(store.hitsSoFar(client, now)).isEqualTo(1);
    assertThat(store.delivery("hook-a", "evt_big", now)).isPresent();
  }

  private HitRecord hit() {
    return new HitRecord(
        ids.timeOrderedId(T0), botId, "hook-a", 200, T0, T0.plus(RETENTION), Json.object());
  }

  /** Reads the counter and writes one more, with one message: a counting hit's commit. */
  private Commit increment(Optional<Delivery> delivery) {
    Optional<StoredProperty> seen = store.property(counter);
    long version = seen.map(StoredProperty::version).orElse(0L);
    long next = seen.map(p -> p.value().value().asLong()).orElse(0L) + 1;
    OutboxEntry message =
        new OutboxEntry(
            ids.timeOrderedId(T0), botId, null, OutboxEntry.Kind.MESSAGE, "n=" + next, null, null,
            null, null, T0);
    return new Commit(
        botId,
        List.of(),
        List.of(
            new Commit.PropertyWrite(
                counter, version, new PropertyValue(PropertyType.INTEGER, IntNode.valueOf((int) next)))),
        List.of(message),
        ids.randomId(),
        delivery);
  }

  private long value() {
    return store.property(counter).orElseThrow().value().value().asLong();
  }

  private List<OutboxEntry> outbox() {
    return store.messages(botId, Optional.empty(), PageRequest.first(50)).items();
  }
}
