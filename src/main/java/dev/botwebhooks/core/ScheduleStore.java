package dev.botwebhooks.core;

import java.time.Instant;
import java.util.List;

/** {@code Bot.run} calls kept for later. One role of {@link Store}. */
public interface ScheduleStore {
  void scheduleRun(ScheduledRun run);

  /** Runs due at {@code now}, earliest first, at most {@code limit}. */
  List<ScheduledRun> dueRuns(Instant now, int limit);

  /**
   * Takes a due run out of the schedule; true for exactly one caller, so that a run is executed
   * at most once however many pollers see it.
   */
  boolean claimRun(ScheduledRun run);
}
