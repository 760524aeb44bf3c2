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
import dev.botwebhooks.core.Page;
import dev.botwebhooks.core.PageRequest;
import dev.botwebhooks.core.PropertyKey;
import dev.botwebhooks.core.PropertyType;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The request log (README "The request log"), run against each store: entries logged on their
 * own, with an error, and inside a commit; read back by id and listed newest first, filtered and
 * paged; gone after their retention.
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

  private static PropertyValue integer(long n) {
    return new PropertyValue(PropertyType.INTEGER, Json.object().numberNode(n));
  }
}
