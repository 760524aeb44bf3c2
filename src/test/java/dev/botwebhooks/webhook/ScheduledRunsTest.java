package dev.botwebhooks.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.Minter;
import dev.botwebhooks.core.ScheduledRun;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.store.MemoryStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a poll shares its due runs among bots (README "Choices where the contract left room"). */
class ScheduledRunsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final IdGenerator ids = new IdGenerator(new SecureRandom());

  private ScheduledRun run(String botId, int secondsAfterT0) {
    return new ScheduledRun(
        ids.timeOrderedId(T0), botId, ids.randomId(), "/tick", Json.object(), null,
        T0.plusSeconds(secondsAfterT0), "", "https://api.example.com");
  }

  @Test
  void sharedAmongBots_takesOneOfEachBotInTurn_eachBotsEarliestFirst() {
    List<ScheduledRun> flood = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      flood.add(run("flood", i));
    }
    ScheduledRun v = run("victim", 10);
    ScheduledRun w = run("other", 11);
    List<ScheduledRun> due = new ArrayList<>(flood);
    due.add(v);
    due.add(w);

    assertThat(ScheduledRuns.sharedAmongBots(due, 3)).containsExactly(flood.get(0), v, w);
    assertThat(ScheduledRuns.sharedAmongBots(due, 5))
        .containsExactly(flood.get(0), v, w, flood.get(1), flood.get(2));
    assertThat(ScheduledRuns.sharedAmongBots(due, 100))
        .containsExactly(flood.get(0), v, w, flood.get(1), flood.get(2), flood.get(3), flood.get(4));
    assertThat(ScheduledRuns.sharedAmongBots(flood, 2)).containsExactly(flood.get(0), flood.get(1));
    assertThat(ScheduledRuns.sharedAmongBots(List.of(), 25)).isEmpty();
  }

  /**
   * A bot that queued 300 runs due before another bot's run does not hold it back: the first poll
   * after it is due runs it, beside 24 of the flood.
   */
  @Test
  void aPoll_runsAnotherBotsRun_behindAFloodOfOneBotsRuns() {
    MemoryStore store = new MemoryStore();
    List<ScheduledRun> flood = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      ScheduledRun r = run("flood", i % 60);
      flood.add(r);
      store.scheduleRun(r);
    }
    ScheduledRun victim = run("victim", 61);
    store.scheduleRun(victim);
    Clock at = Clock.fixed(T0.plusSeconds(62), ZoneOffset.UTC);
    HitService hits =
        new HitService(
            store, new ScriptedRuntime(), new Minter(store, ids, at), ids, at,
            Settings.defaults());

    assertThat(hits.runDueRuns()).isEqualTo(ScheduledRuns.DUE_RUNS_PER_POLL);

    List<ScheduledRun> left = store.dueRuns(at.instant(), 1000);
    assertThat(left).doesNotContain(victim).hasSize(300 - (ScheduledRuns.DUE_RUNS_PER_POLL - 1));
  }

  /** A poll claims no run that could not finish before its end (the invocation's timeout). */
  @Test
  void aPoll_claimsNoRunThatCouldNotFinishBeforeItsEnd() {
    MemoryStore store = new MemoryStore();
    for (int i = 0; i < 3; i++) {
      store.scheduleRun(run("bot" + i, i));
    }
    Clock at = Clock.fixed(T0.plusSeconds(62), ZoneOffset.UTC);
    HitService hits =
        new HitService(
            store, new ScriptedRuntime(), new Minter(store, ids, at), ids, at,
            Settings.defaults());
    Duration longestRun =
        Settings.defaults().limits().scriptTime().plus(ScheduledRuns.STORE_CALLS_ALLOWANCE);

    assertThat(hits.runDueRuns(Optional.of(at.instant().plus(longestRun).minusMillis(1))))
        .isZero();
    assertThat(store.dueRuns(at.instant(), 10)).hasSize(3);
    assertThat(hits.runDueRuns(Optional.of(at.instant().plus(longestRun)))).isEqualTo(3);
    assertThat(store.dueRuns(at.instant(), 10)).isEmpty();
  }
}
