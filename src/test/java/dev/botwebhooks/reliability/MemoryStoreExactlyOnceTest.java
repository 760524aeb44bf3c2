package dev.botwebhooks.reliability;

import dev.botwebhooks.core.Commit;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.store.FaultyCommits;
import dev.botwebhooks.store.FaultyCommits.Fault;
import dev.botwebhooks.store.MemoryStore;

/** Exactly once on the embedded store, with faults injected into its commits. */
class MemoryStoreExactlyOnceTest extends ExactlyOnceScenarios {
  private volatile FaultyCommits.Rule rule = s -> Fault.PASS;
  private volatile int inDoubtEvery;
  private FaultyCommits faulty;

  @Override
  Store faultyStore() {
    faulty = FaultyCommits.around(new MemoryStore(), s -> rule.decide(s));
    faulty.failOutcomeReads(c -> inDoubtEvery > 0 && ordinalOf(c) % inDoubtEvery == 0);
    return faulty.store();
  }

  @Override
  void cutEveryFifthCommitAnswer() {
    rule = s -> s.ordinal() % 5 == 0 ? Fault.APPLY_THEN_LOSE_ANSWER : Fault.PASS;
  }

  @Override
  void leaveCommitsInDoubt(int every) {
    inDoubtEvery = every;
    rule = s -> s.ordinal() % every == 0 ? Fault.APPLY_THEN_LOSE_ANSWER : Fault.PASS;
  }

  @Override
  void heal() {
    inDoubtEvery = 0;
    rule = s -> Fault.PASS;
  }

  @Override
  int lostCommitAnswers() {
    return faulty.lostAnswers();
  }

  private int ordinalOf(Commit commit) {
    return faulty.ordinalOf(commit);
  }
}
