package dev.botwebhooks.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botwebhooks.core.HitRecord;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.json.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The request-log contract on the embedded in-memory store, and how it forgets. */
class MemoryHitLogTest extends HitLogContract {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  @Override
  protected Store newStore() {
    return new MemoryStore();
  }

  private static HitRecord hit(String id, long expiresAfterSeconds) {
    return new HitRecord(
        id, "bot1", "hook", 200, T, T.plusSeconds(expiresAfterSeconds), Json.object());
  }

  @Test
  void keepingAHit_forgetsTheExpiredOnes_butNotAHitKeptAgainSince() {
    MemoryHitLog log = new MemoryHitLog();
    log.keep(hit("a", 1), T);
    log.keep(hit("b", 1), T);
    log.keep(hit("b", 10), T);
    log.keep(hit("c", 10), T);

    log.keep(hit("d", 10), T.plusSeconds(5));

    // Read as of T, when none had expired: "a" is gone from the log, not only filtered out.
    assertThat(log.hit("bot1", "a", T)).isEmpty();
    assertThat(log.hit("bot1", "b", T))
        .hasValueSatisfying(h -> assertThat(h.expiresAt()).isEqualTo(T.plusSeconds(10)));
    assertThat(log.hit("bot1", "c", T)).isPresent();
    assertThat(log.hit("bot1", "d", T)).isPresent();
  }
}
