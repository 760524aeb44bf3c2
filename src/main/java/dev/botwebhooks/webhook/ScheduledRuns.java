package dev.botwebhooks.webhook;

import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.Bot;
import dev.botwebhooks.core.BotUser;
import dev.botwebhooks.core.RequestMeter;
import dev.botwebhooks.core.RunResult;
import dev.botwebhooks.core.RunTakenException;
import dev.botwebhooks.core.ScheduledRun;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.core.StoreUnavailableException;
import dev.botwebhooks.oplog.Failure;
import dev.botwebhooks.oplog.LogLine;
import dev.botwebhooks.oplog.OperatorLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code Bot.run} calls kept in the schedule that are due: each run as a chain of its own within
 * the script time limit, taken out of the schedule by its commit, and logged with one line (README
 * "Operator logs and metrics"). A poll shares its runs among the bots whose runs are due (README
 * "The script API", {@code run_after}), so that one bot's flood of runs does not hold back every
 * other bot's.
 */
final class ScheduledRuns {
  static final int DUE_RUNS_PER_POLL = 25;

  /** The earliest due runs a poll reads to share its {@link #DUE_RUNS_PER_POLL} among bots. */
  static final int DUE_RUNS_READ_PER_POLL = 16 * DUE_RUNS_PER_POLL;

  /**
   * What a run may take past its script time: six store calls at their full timeout (README
   * "Configuration", timeouts), as for a hit.
   */
  static final Duration STORE_CALLS_ALLOWANCE = Duration.ofSeconds(12);

  private final HitService hits;
  private final Store store;
  private final Clock clock;
  private final Settings settings;
  private final OperatorLog log;

  ScheduledRuns(HitService hits, Store store, Clock clock, Settings settings, OperatorLog log) {
    this.hits = hits;
    this.store = store;
    this.clock = clock;
    this.settings = settings;
    this.log = log;
  }

  /**
   * Executes the scheduled runs that are due, each taken out of the schedule by its own commit so
   * that its effects apply once however many instances poll, and none started unless it can
   * finish by {@code endBy} (the function's timeout would cut it off). Returns how many ran
   * (successfully or not).
   */
  int runDueRuns(Optional<Instant> endBy) {
    int ran = 0;
    Duration longestRun = settings.limits().scriptTime().plus(STORE_CALLS_ALLOWANCE);
    List<ScheduledRun> window = store.dueRuns(clock.instant(), DUE_RUNS_READ_PER_POLL);
    for (ScheduledRun due : sharedAmongBots(window, DUE_RUNS_PER_POLL)) {
      if (endBy.isPresent() && clock.instant().plus(longestRun).isAfter(endBy.get())) {
        if (ran == 0) {
          // Not one run fits: the function's Timeout is below what its settings need.
          System.err.println(
              "scheduled runs: none started; a run may take " + longestRun.toMillis()
                  + " ms (SCRIPT_TIME_LIMIT_MS and store calls), more than the "
                  + Duration.between(clock.instant(), endBy.get()).toMillis()
                  + " ms left of this invocation: raise the function's Timeout");
        }
        break;
      }
      ran++;
      long started = System.nanoTime();
      RequestMeter meter = new RequestMeter();
      RunFacts facts;
      try {
        facts = meter.during(() -> runScheduled(due, meter));
      } catch (StoreUnavailableException e) {
        // Still in the schedule, for the next poll; the others of this poll get their turn.
        facts = new RunFacts(Optional.of(Failure.STORE), Optional.empty());
      } catch (RuntimeException e) {
        System.err.println("scheduled run " + due.id() + " failed: " + e);
        facts = new RunFacts(Optional.of(Failure.INTERNAL), Optional.empty());
        ended(due); // a fault of ours would meet it again at every poll
      }
      log.write(
          new LogLine(
              "scheduled",
              "scheduled-" + due.id(),
              Optional.of(due.botId()),
              Optional.empty(),
              facts.failure(),
              facts.reason(),
              (System.nanoTime() - started) / 1_000_000,
              meter.requests(),
              Map.of("run_id", due.id())));
    }
    return ran;
  }

  /**
   * At most {@code limit} of the due runs (earliest first), shared among their bots: one run of
   * each bot in turn, in the order of their earliest runs, each bot's earliest first, round after
   * round.
   */
  static List<ScheduledRun> sharedAmongBots(List<ScheduledRun> due, int limit) {
    Map<String, Deque<ScheduledRun>> byBot = new LinkedHashMap<>();
    for (ScheduledRun run : due) {
      byBot.computeIfAbsent(run.botId(), b -> new ArrayDeque<>()).add(run);
    }
    List<ScheduledRun> picked = new ArrayList<>();
    while (picked.size() < limit && !byBot.isEmpty()) {
      Iterator<Deque<ScheduledRun>> bots = byBot.values().iterator();
      while (bots.hasNext() && picked.size() < limit) {
        Deque<ScheduledRun> runs = bots.next();
        picked.add(runs.removeFirst());
        if (runs.isEmpty()) {
          bots.remove();
        }
      }
    }
    return picked;
  }

  /** Takes a run that ended without a commit out of the schedule, as far as the store answers. */
  private void ended(ScheduledRun due) {
    try {
      store.claimRun(due);
    } catch (StoreUnavailableException e) {
      System.err.println("scheduled run " + due.id() + " left in the schedule: " + e.getMessage());
    }
  }

  /** How a scheduled run ended, for its log line. */
  private record RunFacts(Optional<Failure> failure, Optional<String> reason) {}

  /**
   * Runs a due run as a chain of its own; its commit takes it out of the schedule, so that it
   * applies once however many pollers run it. A run that fails leaves the schedule without a
   * commit; one that meets a failing store or an unknown outcome stays, for the next poll.
   */
  private RunFacts runScheduled(ScheduledRun due, RequestMeter meter) {
    Store.BotAndUser loaded = store.botAndUser(due.botId(), due.user());
    if (loaded.bot().isEmpty()) {
      ended(due);
      return new RunFacts(Optional.empty(), Optional.of("bot deleted"));
    }
    Bot bot = loaded.bot().get();
    Optional<BotUser> user =
        due.user().map(id -> loaded.user().orElseGet(() -> BotUser.unknown(bot.id(), id)));
    Instant deadline = clock.instant().plus(settings.limits().scriptTime());
    HitService.Chain chain =
        hits.chain(bot, due.hookId(), "scheduled-" + due.id(), due.baseUrl(), deadline, meter);
    RunResult result;
    try {
      result = chain.runCommitted(HitService.RunSpec.of(due, user), HitService.NO_DELIVERY);
    } catch (RunTakenException e) {
      return new RunFacts(Optional.empty(), Optional.of("run by another poll"));
    } catch (ResolvingCommitter.OutcomeUnknownException e) {
      chain.logOutcomeUnknown(due.message(), Optional.empty(), e);
      return new RunFacts(Optional.of(Failure.STORE), Optional.of("outcome unknown"));
    }
    return switch (result) {
      case RunResult.Completed completed ->
          chain.runFollowUps().isPresent()
              ? new RunFacts(Optional.of(Failure.STORE), Optional.empty())
              : new RunFacts(Optional.empty(), Optional.empty());
      case RunResult.Failed failed -> {
        if (!store.claimRun(due)) {
          yield new RunFacts(Optional.empty(), Optional.of("run by another poll"));
        }
        chain.logFailure(due.message(), failed);
        yield new RunFacts(
            Optional.of(RunFailures.failureOf(failed)), Optional.of(RunFailures.reasonOf(failed)));
      }
      case RunResult.StoreUnavailable down ->
          new RunFacts(Optional.of(Failure.STORE), Optional.empty());
    };
  }
}
