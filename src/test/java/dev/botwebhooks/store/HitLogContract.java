package dev.botwebhooks.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.core.Bot;
import dev.botwebhooks.core.Commit;
import dev.botwebhooks.core.CommitConflictException;
import dev.botwebhooks.core.ErrorEntry;
import dev.botwebhooks.core.HitRecord;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.OutboxEntry;
import dev.botwebhooks.core.Page;
import dev.botwebhooks.core.PageRequest;
import dev.botwebhooks.core.PropertyKey;
import dev.botwebhooks.core.PropertyType;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.core.RateCharge;
import dev.botwebhooks.core.RateLimitedException;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The request log (README "The request log"), run against each store: entries logged on their
 * own, with an error, and inside a commit; read back by id and listed newest first, filtered and
 * paged; gone after their retention. And the rate charge that a hit's entry carries: counted with
 * it, refused whole once the client reached its limit, exact under concurrent writes.
 */
public abstract class HitLogContract {
  private static final String HOOK_A = "hookAAAAAAAAAAAAAAAAAA";
  private static final String HOOK_B = "hookBBBBBBBBBBBBBBBBBB";

  protected final IdGenerator ids = IdGenerator.secure();
  protected Store store;
  protected String botId;
  private Instant now;

  protected abstract Store newStore();

  @BeforeEach
  void setUpStore() {
    store = newStore();
    botId = "bot-" + ids.random(6);
    now = Instant.now();
    store.createBot(new Bot(botId, "Log bot", "hash", 0, now));
  }

  private HitRecord hit(String hookId, int status, Instant expiresAt) {
    now = now.plusMillis(1);
    ObjectNode detail = Json.object();
    detail.put("method", "POST");
    detail.putObject("request").put("body", "{\"amount\":5}").put("body_truncated", false);
    detail.putArray("messages").addObject().put("text", "paid ü");
    return new HitRecord(ids.timeOrderedId(now), botId, hookId, status, now, expiresAt, detail);
  }

  private HitRecord hit(String hookId, int status) {
    return hit(hookId, status, now.plus(Duration.ofDays(7)));
  }

  @Test
  void logHit_thenHit_returnsItWithItsDetail_andOnlyForItsBot() {
    HitRecord h = hit(HOOK_A, 200);
    store.logHit(h, Optional.empty());

    assertThat(store.hit(botId, h.id())).contains(h);
    assertThat(store.hit("other-bot", h.id())).isEmpty();
    assertThat(store.hit(botId, "0000000000000-0000000000-nothing")).isEmpty();
  }

  @Test
  void logHit_withError_writesBoth() {
    HitRecord h = hit(HOOK_A, 503);
    ErrorEntry error =
        new ErrorEntry(
            ids.timeOrderedId(now), botId, HOOK_A, "/pay", "boom", null, "req-1", now);
    store.logHit(h, Optional.of(error));

    assertThat(store.hit(botId, h.id())).contains(h);
    assertThat(store.errors(botId, PageRequest.first(10)).items()).containsExactly(error);
  }

  @Test
  void hits_newestFirst_filteredByHookAndStatus_paged() {
    List<HitRecord> logged = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      HitRecord h = hit(i % 2 == 0 ? HOOK_A : HOOK_B, i % 3 == 0 ? 503 : 200);
      store.logHit(h, Optional.empty());
      logged.add(0, h);
    }

    assertThat(store.hits(botId, HitRecord.Filter.ALL, PageRequest.first(50)).items())
        .containsExactlyElementsOf(logged);
    assertThat(
            store
                .hits(botId, new HitRecord.Filter(Optional.of(HOOK_A), Optional.empty()),
                    PageRequest.first(50))
                .items())
        .containsExactlyElementsOf(logged.stream().filter(h -> h.hookId().equals(HOOK_A)).toList());
    assertThat(
            store
                .hits(botId, new HitRecord.Filter(Optional.of(HOOK_A), Optional.of(503)),
                    PageRequest.first(50))
                .items())
        .containsExactlyElementsOf(
            logged.stream()
                .filter(h -> h.hookId().equals(HOOK_A) && h.status() == 503)
                .toList());

    HitRecord.Filter ok = new HitRecord.Filter(Optional.empty(), Optional.of(200));
    List<HitRecord> paged = new ArrayList<>();
    Page<HitRecord> page = store.hits(botId, ok, PageRequest.first(2));
    paged.addAll(page.items());
    while (page.nextCursor().isPresent()) {
      page = store.hits(botId, ok, new PageRequest(2, page.nextCursor()));
      paged.addAll(page.items());
    }
    assertThat(paged)
        .containsExactlyElementsOf(logged.stream().filter(h -> h.status() == 200).toList());
  }

  @Test
  void hitPastItsRetention_isNeitherReadNorListed() {
    HitRecord old = hit(HOOK_A, 200, Instant.now().minusSeconds(5));
    HitRecord fresh = hit(HOOK_A, 200);
    store.logHit(old, Optional.empty());
    store.logHit(fresh, Optional.empty());

    assertThat(store.hit(botId, old.id())).isEmpty();
    assertThat(store.hits(botId, HitRecord.Filter.ALL, PageRequest.first(10)).items())
        .containsExactly(fresh);
  }

  @Test
  void commit_carriesItsHit_withTheWrites() {
    PropertyKey balance = new PropertyKey(botId, null, "balance");
    HitRecord h = hit(HOOK_A, 200);
    store.commit(
        new Commit(
                botId,
                List.of(),
                List.of(new Commit.PropertyWrite(balance, 0, integer(5))),
                List.of(),
                ids.randomId())
            .withHit(h));

    assertThat(store.property(balance).orElseThrow().value().value().asLong()).isEqualTo(5);
    assertThat(store.hit(botId, h.id())).contains(h);
  }

  @Test
  void commitWithoutEffects_stillLogsItsHit() {
    HitRecord h = hit(HOOK_B, 200);
    store.commit(new Commit(botId, List.of(), List.of(), List.of(), ids.randomId()).withHit(h));

    assertThat(store.hit(botId, h.id())).contains(h);
  }

  @Test
  void refusedCommit_logsNeitherItsWritesNorItsHit() {
    PropertyKey balance = new PropertyKey(botId, null, "balance");
    store.putProperty(balance, integer(1));
    HitRecord h = hit(HOOK_A, 200);
    Commit stale =
        new Commit(
                botId,
                List.of(),
                List.of(new Commit.PropertyWrite(balance, 0, integer(9))),
                List.of(),
                ids.randomId())
            .withHit(h);

    assertThatThrownBy(() -> store.commit(stale)).isInstanceOf(CommitConflictException.class);
    assertThat(store.hit(botId, h.id())).isEmpty();
    assertThat(store.property(balance).orElseThrow().value().value().asLong()).isEqualTo(1);
  }

  // Rate charges ----------------------------------------------------------------------------------

  /** Inside one minute, whatever the time the test takes; each test has clients of its own. */
  private static final Instant RATE_AT =
      Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(5);

  private String client() {
    return "198.51.100." + ids.random(4);
  }

  private Commit paying(PropertyKey key, long expected, long value, HitRecord h, RateCharge c) {
    return new Commit(
            botId,
            List.of(),
            List.of(new Commit.PropertyWrite(key, expected, integer(value))),
            List.of(
                new OutboxEntry(
                    ids.timeOrderedId(now), botId, null, OutboxEntry.Kind.MESSAGE, "paid", null,
                    null, null, HOOK_A, now)),
            ids.randomId())
        .withHit(h, Optional.of(c));
  }

  @Test
  void rateCharge_countsWithItsCommit_andHitsSoFarCountsNothing() {
    String client = client();
    PropertyKey balance = new PropertyKey(botId, null, "balance");
    assertThat(store.hitsSoFar(client, RATE_AT)).isZero();

    store.commit(paying(balance, 0, 5, hit(HOOK_A, 200), RateCharge.of(client, RATE_AT, 3)));
    store.commit(
        new Commit(botId, List.of(), List.of(), List.of(), ids.randomId())
            .withHit(hit(HOOK_A, 200), Optional.of(RateCharge.of(client, RATE_AT, 3))));

    assertThat(store.hitsSoFar(client, RATE_AT)).isEqualTo(2);
    assertThat(store.hitsSoFar(client, RATE_AT)).isEqualTo(2);
    assertThat(store.countHit(client, RATE_AT)).isEqualTo(3);
    assertThat(store.hitsSoFar(client, RATE_AT.plusSeconds(60))).isZero();
    assertThat(store.hitsSoFar(client(), RATE_AT)).isZero();
  }

  @Test
  void rateCharge_atTheLimit_refusesTheWholeCommit() {
    String client = client();
    PropertyKey balance = new PropertyKey(botId, null, "balance");
    store.commit(paying(balance, 0, 5, hit(HOOK_A, 200), RateCharge.of(client, RATE_AT, 1)));
    HitRecord refused = hit(HOOK_A, 200);

    assertThatThrownBy(
            () -> store.commit(paying(balance, 1, 9, refused, RateCharge.of(client, RATE_AT, 1))))
        .isInstanceOf(RateLimitedException.class);

    assertThat(store.property(balance).orElseThrow().value().value().asLong()).isEqualTo(5);
    assertThat(store.messages(botId, Optional.empty(), PageRequest.first(10)).items()).hasSize(1);
    assertThat(store.hit(botId, refused.id())).isEmpty();
    assertThat(store.hitsSoFar(client, RATE_AT)).isEqualTo(1);
    // Another client, or the same one with room under its limit, commits.
    store.commit(paying(balance, 1, 7, hit(HOOK_A, 200), RateCharge.of(client(), RATE_AT, 1)));
    store.commit(paying(balance, 2, 8, hit(HOOK_A, 200), RateCharge.of(client, RATE_AT, 2)));
    assertThat(store.hitsSoFar(client, RATE_AT)).isEqualTo(2);
  }

  @Test
  void rateCharge_onAnEntryWrittenAlone_sameRule_andAnErrorEntryGoesWithIt() {
    String client = client();
    RateCharge charge = RateCharge.of(client, RATE_AT, 2);
    HitRecord first = hit(HOOK_A, 200);
    HitRecord failed = hit(HOOK_A, 503);
    HitRecord refused = hit(HOOK_A, 503);
    store.logHit(first, Optional.empty(), Optional.of(charge));
    store.logHit(failed, Optional.of(error("first failure")), Optional.of(charge));

    assertThatThrownBy(
            () -> store.logHit(refused, Optional.of(error("refused")), Optional.of(charge)))
        .isInstanceOf(RateLimitedException.class);

    assertThat(store.hit(botId, first.id())).contains(first);
    assertThat(store.hit(botId, failed.id())).contains(failed);
    assertThat(store.hit(botId, refused.id())).isEmpty();
    assertThat(store.errors(botId, PageRequest.first(10)).items())
        .extracting(ErrorEntry::message)
        .containsExactly("first failure");
    assertThat(store.hitsSoFar(client, RATE_AT)).isEqualTo(2);
  }

  @Test
  void rateCharge_twentyConcurrentCommitsUnderALimitOfFive_exactlyFiveApply() throws Exception {
    String client = client();
    List<HitRecord> hits = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      hits.add(hit(HOOK_A, 200));
    }
    ExecutorService pool = Executors.newFixedThreadPool(20);
    List<Future<Boolean>> results = new ArrayList<>();
    try {
      CountDownLatch go = new CountDownLatch(1);
      for (int i = 0; i < 20; i++) {
        PropertyKey key = new PropertyKey(botId, null, "p" + i);
        HitRecord h = hits.get(i);
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  try {
                    store.commit(paying(key, 0, 1, h, RateCharge.of(client, RATE_AT, 5)));
                    return true;
                  } catch (RateLimitedException e) {
                    return false;
                  }
                }));
      }
      go.countDown();
      List<Boolean> applied = new ArrayList<>();
      for (Future<Boolean> r : results) {
        applied.add(r.get());
      }
      assertThat(applied).filteredOn(a -> a).hasSize(5);
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.hitsSoFar(client, RATE_AT)).isEqualTo(5);
    assertThat(store.hits(botId, HitRecord.Filter.ALL, PageRequest.first(50)).items()).hasSize(5);
    assertThat(store.messages(botId, Optional.empty(), PageRequest.first(50)).items()).hasSize(5);
  }

  private ErrorEntry error(String message) {
    return new ErrorEntry(ids.timeOrderedId(now), botId, HOOK_A, "/pay", message, null, "r", now);
  }

  private static PropertyValue integer(long n) {
    return new PropertyValue(PropertyType.INTEGER, Json.object().numberNode(n));
  }
}
