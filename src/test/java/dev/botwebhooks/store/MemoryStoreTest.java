package dev.botwebhooks.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botwebhooks.core.HttpCallStore;
import dev.botwebhooks.core.Store;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The store contract on the embedded in-memory store. */
class MemoryStoreTest extends StoreContract {
  @Override
  protected Store newStore() {
    return new MemoryStore();
  }

  @Nested
  class Outcomes extends CommitOutcomeContract {
    @Override
    protected Store newStore() {
      return new MemoryStore();
    }
  }

  /** DynamoDB forgets a claim by its TTL, some time later; the embedded store at the next claim. */
  @Test
  void aClaim_isForgottenOnceItsRetentionHasPassed_andKeptUntilThen() {
    MemoryStore store = new MemoryStore();
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    Duration kept = Duration.ofDays(HttpCallStore.CLAIM_RETENTION_DAYS);
    assertThat(store.claimHttpCall("a", t0)).isTrue();
    assertThat(store.claimHttpCall("b", t0.plusSeconds(60))).isTrue();

    assertThat(store.claimHttpCall("a", t0.plus(kept))).as("still within retention").isFalse();
    assertThat(store.claimHttpCall("a", t0.plus(kept).plusSeconds(1))).as("a forgotten").isTrue();
    assertThat(store.claimHttpCall("b", t0.plus(kept).plusSeconds(30))).as("b kept").isFalse();
  }
}
