package dev.botwebhooks.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.Bot;
import dev.botwebhooks.core.Commit;
import dev.botwebhooks.core.HitRecord;
import dev.botwebhooks.core.HttpCall;
import dev.botwebhooks.core.CommitConflictException;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.PropertyKey;
import dev.botwebhooks.core.PropertyType;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.core.RateCharge;
import dev.botwebhooks.core.ScheduledRun;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.core.StoredProperty;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.store.FaultyCommits;
import dev.botwebhooks.store.MemoryStore;
import dev.botwebhooks.store.dynamodb.DynamoDbFaultProxy;
import dev.botwebhooks.store.dynamodb.DynamoDbFaultProxy.Fault;
import dev.botwebhooks.store.dynamodb.DynamoDbTestServer;
import dev.botwebhooks.store.dynamodb.DynamoStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A commit whose answer is lost is resolved before the hit answers: applied (found by reading
 * back), or not applied and sent again, never applied twice; on DynamoDB through a proxy that cuts
 * connections after forwarding and honours request tokens as DynamoDB does.
 */
@ExtendWith(DynamoDbTestServer.class)
class ResolvingCommitterTest {
  private static final DynamoStore.Timeouts SHORT =
      new DynamoStore.Timeouts(Duration.ofMillis(1500), Duration.ofSeconds(3), 2);

  private final IdGenerator ids = IdGenerator.secure();
  private final Clock clock = Clock.systemUTC();
  private final PropertyKey counter = PropertyKey.ofBot("b1", "n");

  @Test
  void memory_appliedAndAnswerLostEveryTime_isFoundApplied_once() {
    FaultyCommits faulty =
        FaultyCommits.around(
            seeded(new MemoryStore()), s -> FaultyCommits.Fault.APPLY_THEN_LOSE_ANSWER);
    Store store = faulty.store();

    new ResolvingCommitter(store, clock).commit(increment(store), soon());

    assertThat(value(store)).isEqualTo(1);
    assertThat(faulty.lostAnswers()).isEqualTo(1);
  }

  @Test
  void memory_lostBeforeApplying_isSentAgainAndApplied_once() {
    FaultyCommits faulty =
        FaultyCommits.around(
            seeded(new MemoryStore()),
            s -> s.sends() == 1 ? FaultyCommits.Fault.LOSE_BEFORE_APPLYING : FaultyCommits.Fault.PASS);
    Store store = faulty.store();

    new ResolvingCommitter(store, clock).commit(increment(store), soon());

    assertThat(value(store)).isEqualTo(1);
  }

  @Test
  void memory_storeAwayPastTheBudget_outcomeUnknown() {
    FaultyCommits faulty =
        FaultyCommits.around(
            seeded(new MemoryStore()), s -> FaultyCommits.Fault.APPLY_THEN_LOSE_ANSWER);
    faulty.failOutcomeReads(c -> true);
    Store store = faulty.store();

    assertThatThrownBy(() -> new ResolvingCommitter(store, clock).commit(increment(store), soon()))
        .isInstanceOf(ResolvingCommitter.OutcomeUnknownException.class)
        .hasMessageContaining("outcome unknown");
    assertThat(value(store)).isEqualTo(1);
  }

  @Test
  void memory_lostAnswerOfARefusedCommit_isAConflict_notApplied() {
    Store plain = seeded(new MemoryStore());
    Commit stale = increment(plain);
    plain.commit(increment(plain));
    FaultyCommits faulty =
        FaultyCommits.around(
            plain, s -> s.sends() == 1 ? FaultyCommits.Fault.APPLY_THEN_LOSE_ANSWER : FaultyCommits.Fault.PASS);

    assertThatThrownBy(() -> new ResolvingCommitter(faulty.store(), clock).commit(stale, soon()))
        .isInstanceOf(CommitConflictException.class);
    assertThat(value(plain)).isEqualTo(1);
  }

  @Test
  void dynamo_everyAnswerToTheTransactionCut_isFoundApplied_once() throws Exception {
    try (DynamoDbFaultProxy proxy = new DynamoDbFaultProxy(0)) {
      Store store = seeded(storeBehind(proxy));
      Commit commit = increment(store);
      proxy.policy(r -> r.token() != null ? Fault.CUT_AFTER_FORWARD : Fault.PASS);

      new ResolvingCommitter(store, clock).commit(commit, soon());

      assertThat(value(store)).isEqualTo(1);
      assertThat(proxy.forwardedTransactions()).isEqualTo(1);
      assertThat(proxy.cutConnections()).isGreaterThanOrEqualTo(1);
    }
  }

  /**
   * The largest commit a hit can make, every answer to it cut: found applied, with its hit's
   * request-log entry and count, which ride in its one transaction.
   */
  @Test
  void dynamo_largestCommitWithItsHit_everyAnswerCut_isFoundAppliedWithItsEntry() throws Exception {
    try (DynamoDbFaultProxy proxy = new DynamoDbFaultProxy(0)) {
      Store store = seeded(storeBehind(proxy));
      List<Commit.PropertyWrite> writes = new java.util.ArrayList<>();
      for (int i = 0; i < Commit.MAX_PROPERTIES; i++) {
        writes.add(new Commit.PropertyWrite(PropertyKey.ofBot("b1", "p" + i), 0, integer(i)));
      }
      Commit logged = loggedHit();
      Commit commit =
          new Commit("b1", List.of(), writes, List.of(), logged.token())
              .withHit(logged.hit().orElseThrow(), logged.charge());
      proxy.policy(r -> r.token() != null ? Fault.CUT_AFTER_FORWARD : Fault.PASS);

      new ResolvingCommitter(store, clock).commit(commit, soon());

      proxy.policy(r -> Fault.PASS);
      assertThat(proxy.forwardedTransactions()).isEqualTo(1);
      assertThat(store.property(PropertyKey.ofBot("b1", "p0"))).isPresent();
      assertThat(store.hit("b1", logged.hit().orElseThrow().id())).isPresent();
      assertThat(store.hitsSoFar(CLIENT, clock.instant())).isEqualTo(1);
    }
  }

  @Test
  void dynamo_firstAnswerCut_theSdkResendGetsTheRememberedAnswer_once() throws Exception {
    try (DynamoDbFaultProxy proxy = new DynamoDbFaultProxy(0)) {
      Store store = seeded(storeBehind(proxy));
      Commit commit = increment(store);
      proxy.policy(r -> r.sends() == 1 && r.token() != null ? Fault.CUT_AFTER_FORWARD : Fault.PASS);

      store.commit(commit);

      assertThat(value(store)).isEqualTo(1);
      assertThat(proxy.forwardedTransactions()).isEqualTo(1);
    }
  }

  @Test
  void dynamo_transactionsStalledPastTheBudget_outcomeUnknown_thenResolvable() throws Exception {
    try (DynamoDbFaultProxy proxy = new DynamoDbFaultProxy(0)) {
      Store store = seeded(storeBehind(proxy));
      Commit commit = increment(store);
      proxy.policy(r -> Fault.STALL);

      assertThatThrownBy(() -> new ResolvingCommitter(store, clock).commit(commit, soon()))
          .isInstanceOf(ResolvingCommitter.OutcomeUnknownException.class);

      proxy.policy(r -> Fault.PASS);
      assertThat(store.isApplied(commit)).isFalse();
      assertThat(value(store)).isZero();
    }
  }

  /**
   * A commit that wrote nothing but its hit's log entry and rate count, its answer lost every
   * time: found applied by its token, the client counted once.
   */
  @Test
  void memory_emptyCommitOfAHit_answerLost_countsTheClientOnce() {
    FaultyCommits faulty =
        FaultyCommits.around(
            seeded(new MemoryStore()),
            s -> s.sends() == 1 ? FaultyCommits.Fault.APPLY_THEN_LOSE_ANSWER : FaultyCommits.Fault.PASS);
    Store store = faulty.store();

    new ResolvingCommitter(store, clock).commit(loggedHit(), soon());

    assertThat(store.hitsSoFar(CLIENT, clock.instant())).isEqualTo(1);
  }

  @Test
  void dynamo_emptyCommitOfAHit_answerCut_countsTheClientOnce() throws Exception {
    try (DynamoDbFaultProxy proxy = new DynamoDbFaultProxy(0)) {
      Store store = seeded(storeBehind(proxy));
      proxy.policy(r -> r.token() != null && r.transaction() == 1 ? Fault.CUT_AFTER_FORWARD : Fault.PASS);

      new ResolvingCommitter(store, clock).commit(loggedHit(), clock.instant().plusSeconds(5));

      assertThat(store.hitsSoFar(CLIENT, clock.instant())).isEqualTo(1);
    }
  }

  /**
   * The first send reaches DynamoDB late, the SDK's retry gets no answer, and the committer sends
   * the commit again while the first is still on its way, over a second after it: the same
   * request under the same token, which DynamoDB answers as applied (a request differing under
   * the same token, as with times taken again at each send, it refuses as a mismatch).
   */
  @Test
  void dynamo_commitSentAgainSecondsLater_isTheSameRequest_appliedOnce() throws Exception {
    try (DynamoDbFaultProxy proxy = new DynamoDbFaultProxy(1200)) {
      // Attempts shorter than the delay: the first send times out before it is forwarded.
      Store store =
          seeded(storeBehind(proxy, new DynamoStore.Timeouts(Duration.ofMillis(500), Duration.ofSeconds(3), 2)));
      StoredProperty seen = store.property(counter).orElseThrow();
      Commit commit =
          new Commit(
              "b1",
              List.of(),
              List.of(
                  new Commit.PropertyWrite(counter, seen.version(), integer(1)),
                  new Commit.PropertyWrite(PropertyKey.ofBot("b1", "gone"), 0, null)),
              List.of(),
              ids.randomId());
      proxy.policy(
          r -> {
            if (r.token() == null) {
              return Fault.PASS;
            }
            if (r.sends() == 1) {
              return Fault.DELAY;
            }
            if (r.sends() == 2) {
              return Fault.STALL;
            }
            while (proxy.forwardedTransactions() < 1) {
              try {
                Thread.sleep(5);
              } catch (InterruptedException e) {
                return Fault.PASS;
              }
            }
            return Fault.PASS;
          });

      new ResolvingCommitter(store, clock).commit(commit, clock.instant().plusSeconds(5));

      proxy.policy(r -> Fault.PASS);
      assertThat(store.isApplied(commit)).isTrue();
      assertThat(value(store)).isEqualTo(1);
    }
  }

  /**
   * A claim that applied, its answer cut, and the SDK's resend: the claimer is told it won (the
   * resend is answered by its token), so the due run and the outbound call are not lost.
   */
  @Test
  void dynamo_claimsWhoseAnswerIsCut_areWonByTheirClaimer() throws Exception {
    try (DynamoDbFaultProxy proxy = new DynamoDbFaultProxy(0)) {
      Store store = seeded(storeBehind(proxy));
      Instant due = Instant.parse("2026-01-01T00:00:00Z");
      ScheduledRun run =
          new ScheduledRun(
              ids.timeOrderedId(due), "b1", "h".repeat(22), "/later", Json.object(), null, due, "",
              "https://hooks.test");
      store.scheduleRun(run);
      HttpCall call =
          new HttpCall(
              ids.timeOrderedId(due), "b1", "h".repeat(22), null, "https://hooks.test",
              new HttpCall.Request(
                  "GET", "https://shop.test/", Map.of(), null, false, null, null, Json.object()));
      store.commit(
          new Commit("b1", List.of(), List.of(), List.of(), ids.randomId())
              .withCalls(List.of(call)));
      proxy.policy(r -> r.token() != null && r.sends() == 1 ? Fault.CUT_AFTER_FORWARD : Fault.PASS);

      assertThat(store.claimRun(run)).as("the run's claimer").isTrue();
      assertThat(store.dueRuns(due.plusSeconds(1), 10)).isEmpty();
      assertThat(store.claimRun(run)).as("another poller").isFalse();

      assertThat(store.claimHttpCall(call)).as("the call's claimer").isTrue();
      assertThat(store.claimHttpCall(call)).as("a redelivery").isFalse();
      assertThat(proxy.cutConnections()).isGreaterThanOrEqualTo(2);
    }
  }

  private static final String CLIENT = "203.0.113.7";

  private Commit loggedHit() {
    Instant now = clock.instant();
    HitRecord hit =
        new HitRecord(
            ids.timeOrderedId(now), "b1", "h".repeat(22), 200, now, now.plus(Duration.ofDays(7)),
            Json.object());
    return new Commit("b1", List.of(), List.of(), List.of(), ids.randomId())
        .withHit(hit, java.util.Optional.of(new RateCharge(CLIENT, RateCharge.minuteOf(now), 600)));
  }

  private Instant soon() {
    return clock.instant().plusMillis(500);
  }

  private static Store seeded(Store store) {
    store.createBot(new Bot("b1", "Bot", "h", 0, Instant.EPOCH));
    store.putProperty(PropertyKey.ofBot("b1", "n"), integer(0));
    return store;
  }

  /** A store with short timeouts behind the proxy, on a table made directly (no faults). */
  private static DynamoStore storeBehind(DynamoDbFaultProxy proxy) {
    return storeBehind(proxy, SHORT);
  }

  private static DynamoStore storeBehind(DynamoDbFaultProxy proxy, DynamoStore.Timeouts timeouts) {
    String table = DynamoDbTestServer.freshTableName("resolve");
    DynamoDbTestServer.newStore(table);
    Settings settings =
        Settings.from(
            Map.of(
                Settings.Env.TABLE_NAME, table,
                Settings.Env.DYNAMODB_ENDPOINT, proxy.endpoint(),
                Settings.Env.AWS_REGION, "us-east-1"));
    return DynamoStore.create(settings, timeouts);
  }

  private Commit increment(Store store) {
    StoredProperty seen = store.property(counter).orElseThrow();
    long next = seen.value().value().asLong() + 1;
    return new Commit(
        "b1",
        List.of(),
        List.of(new Commit.PropertyWrite(counter, seen.version(), integer(next))),
        List.of(),
        ids.randomId());
  }

  private long value(Store store) {
    return store.property(counter).orElseThrow().value().value().asLong();
  }

  private static PropertyValue integer(long n) {
    return new PropertyValue(PropertyType.INTEGER, IntNode.valueOf((int) n));
  }
}
