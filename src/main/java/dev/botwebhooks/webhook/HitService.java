package dev.botwebhooks.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.Bot;
import dev.botwebhooks.core.BotCode;
import dev.botwebhooks.core.BotUser;
import dev.botwebhooks.core.Commit;
import dev.botwebhooks.core.CommitConflictException;
import dev.botwebhooks.core.ErrorEntry;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.Ids;
import dev.botwebhooks.core.Minter;
import dev.botwebhooks.core.OutboxEntry;
import dev.botwebhooks.core.RequestMeter;
import dev.botwebhooks.core.RunRequest;
import dev.botwebhooks.core.RunResult;
import dev.botwebhooks.core.ScheduledRun;
import dev.botwebhooks.core.ScriptRuntime;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.core.StoreUnavailableException;
import dev.botwebhooks.core.Webhook;
import dev.botwebhooks.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The hit path. One webhook hit: rate limit, hook and bot lookup, the command chain run and
 * committed (serializably, re-run on conflict until the hit's time is spent), then the chained
 * {@code Bot.run} calls, each committed on its own.
 */
public final class HitService {
  private static final Duration BACKOFF_BASE = Duration.ofMillis(5);
  private static final Duration BACKOFF_MAX = Duration.ofMillis(200);
  private static final int DUE_RUNS_PER_POLL = 25;
  private static final Duration STORE_RETRY_AFTER = Duration.ofSeconds(1);

  private final Store store;
  private final ScriptRuntime runtime;
  private final Minter minter;
  private final IdGenerator ids;
  private final Clock clock;
  private final Settings settings;
  private final IpAllowlist allowlist;
  private final CodeCache codeCache;
  private final BotLocks botLocks = new BotLocks();

  public HitService(
      Store store,
      ScriptRuntime runtime,
      Minter minter,
      IdGenerator ids,
      Clock clock,
      Settings settings) {
    this.store = store;
    this.runtime = runtime;
    this.minter = minter;
    this.ids = ids;
    this.clock = clock;
    this.settings = settings;
    this.allowlist = IpAllowlist.parse(settings.ipAllowlist());
    this.codeCache = new CodeCache(store);
  }

  /** The one run of a chain: what to run, as whom, and with what input. */
  private record RunSpec(
      String message, String content, JsonNode options, Optional<BotUser> user) {}

  /**
   * One hit of hook {@code hookId}: its outcome and the facts of its log line. A store failure,
   * before, in or after a run, is the outcome {@link HitOutcome.StoreUnavailable}.
   */
  HitReport hit(HttpRequest request, String hookId, Map<String, List<String>> pathParams) {
    RequestMeter meter = new RequestMeter();
    HitReport report;
    try {
      report = meter.during(() -> hitMetered(request, hookId, pathParams, meter));
    } catch (StoreUnavailableException e) {
      report =
          HitReport.of(storeUnavailable(request.requestId(), e.getMessage()), Optional.empty());
    }
    return report.withStoreRequests(meter.requests());
  }

  private HitReport hitMetered(
      HttpRequest request,
      String hookId,
      Map<String, List<String>> pathParams,
      RequestMeter meter) {
    Instant now = clock.instant();
    Optional<String> client =
        allowlist.contains(request.sourceIp())
            ? Optional.empty()
            : Optional.of(IpAllowlist.canonical(request.sourceIp()).orElse(request.sourceIp()));
    if (!Ids.isHookId(hookId)) {
      // Counted all the same: README "Choices where the contract left room", the rate limit.
      long hits = client.isPresent() ? store.countHit(client.get(), now) : 0;
      if (hits > settings.limits().rateLimitPerMinute()) {
        return HitReport.of(rateLimited(now), Optional.of(Settings.Env.RATE_LIMIT_PER_MINUTE));
      }
      return HitReport.of(new HitOutcome.NotFound(), Optional.empty());
    }
    // The rate count, the hook, its bot and its user, read together (README "Performance").
    Store.HitStart start = store.startHit(hookId, client, now);
    if (start.clientHits() > settings.limits().rateLimitPerMinute()) {
      return HitReport.of(rateLimited(now), Optional.of(Settings.Env.RATE_LIMIT_PER_MINUTE));
    }
    Optional<Webhook> found = start.hook().filter(h -> h.isLiveAt(now));
    if (found.isEmpty()) {
      return HitReport.of(new HitOutcome.NotFound(), Optional.empty());
    }
    Webhook hook = found.get();
    Store.BotAndUser loaded = start.botAndUser();
    if (loaded.bot().isEmpty()) {
      return new HitReport(
          new HitOutcome.NotFound(), Optional.of(hook.botId()), 0, Optional.empty(), 0);
    }
    Bot bot = loaded.bot().get();
    Optional<BotUser> user =
        hook.user().map(id -> loaded.user().orElseGet(() -> BotUser.unknown(bot.id(), id)));
    Instant deadline = now.plus(settings.limits().scriptTime());
    Chain chain =
        new Chain(bot, hook.id(), request.requestId(), baseUrlOf(request), deadline, meter);
    try {
      return chain.report(runHook(chain, HitInput.of(request, hook, pathParams), hook, user));
    } catch (StoreUnavailableException e) {
      return chain.report(storeUnavailable(request.requestId(), e.getMessage()));
    }
  }

  /** The hook's command chain, then its {@code Bot.run} calls; the outcome of the hit. */
  private HitOutcome runHook(Chain chain, HitInput input, Webhook hook, Optional<BotUser> user) {
    RunResult main =
        chain.runCommitted(new RunSpec(hook.command(), input.content(), input.options(), user));
    return switch (main) {
      case RunResult.Failed failed -> {
        chain.logFailure(hook.command(), failed);
        yield new HitOutcome.CommandFailed();
      }
      case RunResult.StoreUnavailable down -> storeUnavailable(chain.requestId, down.message());
      case RunResult.Completed completed -> {
        Optional<RunResult.StoreUnavailable> down = chain.runDeferred(completed, user);
        if (down.isPresent()) {
          yield storeUnavailable(chain.requestId, down.get().message());
        }
        if (hook.redirect().isPresent()) {
          yield new HitOutcome.Redirect(hook.redirect().get());
        }
        if (completed.rendered().isPresent()) {
          RunResult.Rendered page = completed.rendered().get();
          yield new HitOutcome.Rendered(page.content(), page.mimeType());
        }
        yield new HitOutcome.Answer(completed.lastMessage().orElse(null));
      }
    };
  }

  private static HitOutcome storeUnavailable(String requestId, String message) {
    System.err.println("store unavailable for request " + requestId + ": " + message);
    return new HitOutcome.StoreUnavailable(STORE_RETRY_AFTER);
  }

  private static HitOutcome rateLimited(Instant now) {
    long secondsLeft = 60 - (now.getEpochSecond() % 60);
    return new HitOutcome.RateLimited(Duration.ofSeconds(Math.max(1, secondsLeft)));
  }

  /** The runs of one hit, which share its deadline and its run and message budgets. */
  private final class Chain {
    private final Bot bot;
    private final BotCode code;
    private final String hookId;
    private final String requestId;
    private final String baseUrl;
    private final Instant deadline;
    private final RequestMeter meter;
    private int runsUsed;
    private int messagesUsed;
    private int attempts;
    private Optional<String> limit = Optional.empty();

    Chain(
        Bot bot,
        String hookId,
        String requestId,
        String baseUrl,
        Instant deadline,
        RequestMeter meter) {
      this.bot = bot;
      this.code = codeCache.codeOf(bot);
      this.hookId = hookId;
      this.requestId = requestId;
      this.baseUrl = baseUrl;
      this.deadline = deadline;
      this.meter = meter;
    }

    /** The outcome with what the chain learned: its bot, attempts and crossed limit. */
    HitReport report(HitOutcome outcome) {
      return new HitReport(outcome, Optional.of(bot.id()), attempts, limit, 0);
    }

    /**
     * {@code Bot.run} calls in call order, and those they make after them, until the store fails
     * (which ends the chain).
     */
    Optional<RunResult.StoreUnavailable> runDeferred(
        RunResult.Completed main, Optional<BotUser> hookUser) {
      Deque<RunResult.DeferredRun> queue = new ArrayDeque<>(main.deferred());
      while (!queue.isEmpty()) {
        RunResult.DeferredRun next = queue.removeFirst();
        if (next.runAfter().compareTo(Duration.ZERO) > 0) {
          schedule(next, hookUser);
          continue;
        }
        Optional<BotUser> user =
            next.userId().isPresent() ? Optional.of(userOf(next.userId().get())) : hookUser;
        RunResult result =
            runCommitted(new RunSpec(next.message(), "", next.options(), user));
        switch (result) {
          case RunResult.Completed done -> queue.addAll(done.deferred());
          case RunResult.Failed failed -> logFailure(next.message(), failed);
          case RunResult.StoreUnavailable down -> {
            return Optional.of(down);
          }
        }
      }
      return Optional.empty();
    }

    private void schedule(RunResult.DeferredRun run, Optional<BotUser> hookUser) {
      Instant at = clock.instant();
      String userId = run.userId().orElse(hookUser.map(BotUser::id).orElse(null));
      store.scheduleRun(
          new ScheduledRun(
              ids.timeOrderedId(at),
              bot.id(),
              hookId,
              run.message(),
              run.options(),
              userId,
              at.plus(run.runAfter()),
              run.label(),
              baseUrl));
    }

    private BotUser userOf(String userId) {
      return store.user(bot.id(), userId).orElseGet(() -> BotUser.unknown(bot.id(), userId));
    }

    /**
     * Runs once and commits; on a conflict, drops the run's effects and runs it again after a
     * jittered backoff, while the hit has time. Runs of this bot for this user in this process
     * take turns; other users' runs do not wait for them.
     */
    RunResult runCommitted(RunSpec spec) {
      String turn = bot.id() + "#" + spec.user().map(BotUser::id).orElse("");
      if (!botLocks.acquire(turn, Duration.between(clock.instant(), deadline))) {
        return timeUp();
      }
      try {
        for (int attempt = 0; ; attempt++) {
          attempts++;
          RunTransaction tx =
              new RunTransaction(store, minter, meter, bot.id(), baseUrl, settings.limits());
          RunResult result =
              runtime.run(
                  new RunRequest(
                      code,
                      bot.name(),
                      spec.message(),
                      spec.content(),
                      spec.options(),
                      spec.user(),
                      deadline,
                      runsUsed,
                      messagesUsed),
                  tx);
          if (!(result instanceof RunResult.Completed completed)) {
            return result;
          }
          Commit commit =
              tx.commitOf(outboxOf(completed, spec.user()), ids.randomId());
          try {
            if (!commit.isEmpty()) {
              store.commit(commit);
            }
            runsUsed = completed.runsUsed();
            messagesUsed = completed.messagesUsed();
            return completed;
          } catch (CommitConflictException conflict) {
            Duration pause = backoff(attempt);
            if (clock.instant().plus(pause).isAfter(deadline)) {
              return timeUp();
            }
            sleep(pause);
          }
        }
      } finally {
        botLocks.release(turn);
      }
    }

    private RunResult timeUp() {
      return new RunResult.Failed(
          "the run could not finish and commit within the time limit of "
              + settings.limits().scriptTime().toMillis()
              + " ms",
          Optional.of(Settings.Env.SCRIPT_TIME_LIMIT_MS));
    }

    private List<OutboxEntry> outboxOf(RunResult.Completed completed, Optional<BotUser> user) {
      Instant at = clock.instant();
      String userId = user.map(BotUser::id).orElse(null);
      List<OutboxEntry> entries = new ArrayList<>();
      for (RunResult.Output output : completed.outputs()) {
        String id = ids.timeOrderedId(at);
        if (output instanceof RunResult.Output.Message m) {
          entries.add(
              new OutboxEntry(
                  id, bot.id(), userId, OutboxEntry.Kind.MESSAGE, m.text(), m.keyboard(), null,
                  null, hookId, at));
        } else if (output instanceof RunResult.Output.ApiCall call) {
          entries.add(
              new OutboxEntry(
                  id, bot.id(), userId, OutboxEntry.Kind.API_CALL, null, null, call.method(),
                  call.params(), hookId, at));
        }
      }
      return entries;
    }

    void logFailure(String command, RunResult.Failed failed) {
      if (failed.limit().isPresent()) {
        limit = failed.limit();
      }
      Instant at = clock.instant();
      ErrorEntry entry =
          new ErrorEntry(
              ids.timeOrderedId(at),
              bot.id(),
              hookId,
              command,
              failed.message(),
              failed.limit().orElse(null),
              requestId,
              at);
      try {
        store.logError(entry);
      } catch (StoreUnavailableException e) {
        System.err.println(
            "error log write failed for request " + requestId + ": " + e.getMessage());
      }
    }
  }

  private String baseUrlOf(HttpRequest request) {
    return settings.publicBaseUrl().orElse(request.baseUrl());
  }

  /**
   * Executes the scheduled runs that are due, each claimed first so that it runs at most once
   * however many instances poll. Returns how many ran (successfully or not).
   */
  public int runDueRuns() {
    int ran = 0;
    for (ScheduledRun due : store.dueRuns(clock.instant(), DUE_RUNS_PER_POLL)) {
      if (!store.claimRun(due)) {
        continue;
      }
      ran++;
      try {
        runScheduled(due);
      } catch (StoreUnavailableException e) {
        // This run is lost (it was claimed); the others of this poll still get their turn.
        System.err.println("scheduled run " + due.id() + " failed: " + e.getMessage());
      }
    }
    return ran;
  }

  private void runScheduled(ScheduledRun due) {
    Store.BotAndUser loaded = store.botAndUser(due.botId(), due.user());
    if (loaded.bot().isEmpty()) {
      return;
    }
    Bot bot = loaded.bot().get();
    Optional<BotUser> user =
        due.user().map(id -> loaded.user().orElseGet(() -> BotUser.unknown(bot.id(), id)));
    Instant deadline = clock.instant().plus(settings.limits().scriptTime());
    Chain chain =
        new Chain(
            bot, due.hookId(), "scheduled-" + due.id(), due.baseUrl(), deadline,
            new RequestMeter());
    RunResult result = chain.runCommitted(new RunSpec(due.message(), "", due.options(), user));
    Optional<RunResult.StoreUnavailable> down =
        switch (result) {
          case RunResult.Completed completed -> chain.runDeferred(completed, user);
          case RunResult.Failed failed -> {
            chain.logFailure(due.message(), failed);
            yield Optional.empty();
          }
          case RunResult.StoreUnavailable failure -> Optional.of(failure);
        };
    down.ifPresent(
        failure ->
            System.err.println("scheduled run " + due.id() + " failed: " + failure.message()));
  }

  private static Duration backoff(int attempt) {
    long cap = Math.min(BACKOFF_MAX.toMillis(), BACKOFF_BASE.toMillis() << Math.min(attempt, 6));
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(1, cap + 1));
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
