package dev.botwebhooks.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.Bot;
import dev.botwebhooks.core.BotCode;
import dev.botwebhooks.core.BotUser;
import dev.botwebhooks.core.Commit;
import dev.botwebhooks.core.CommitConflictException;
import dev.botwebhooks.core.Delivery;
import dev.botwebhooks.core.DuplicateDeliveryException;
import dev.botwebhooks.core.ErrorEntry;
import dev.botwebhooks.core.HttpCall;
import dev.botwebhooks.core.HttpReply;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.Ids;
import dev.botwebhooks.core.Minter;
import dev.botwebhooks.core.RateLimitedException;
import dev.botwebhooks.core.RequestMeter;
import dev.botwebhooks.core.RunRequest;
import dev.botwebhooks.core.RunResult;
import dev.botwebhooks.core.RunTakenException;
import dev.botwebhooks.core.ScheduledRun;
import dev.botwebhooks.core.ScriptRuntime;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.core.StoreUnavailableException;
import dev.botwebhooks.core.Webhook;
import dev.botwebhooks.oplog.Failure;
import dev.botwebhooks.oplog.OperatorLog;
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
import java.util.function.Function;

/**
 * The hit path. One webhook hit: rate limit, hook and bot lookup, the command chain run and
 * committed (serializably, re-run on conflict until the hit's time is spent), then the chained
 * {@code Bot.run} calls, each kept in the schedule by the commit of the run that asked for it
 * and taken out of it by its own run's commit.
 */
public final class HitService {
  private static final Duration STORE_RETRY_AFTER = Duration.ofSeconds(1);

  /**
   * How long after its chain's deadline a {@code Bot.run} call without {@code run_after} is due
   * for the schedule's polls, should its chain not get to it (the process ended, the store failed,
   * the commit's answer was lost): past the chain's time and the allowance for its store calls, so
   * that a poll does not run a run its chain may still run (README "Reliability").
   */
  static final Duration LEFT_RUNS_DUE_AFTER = ScheduledRuns.STORE_CALLS_ALLOWANCE;

  /**
   * How long after its run's deadline an outbound call is due for the polls, should the queue's
   * executor not have claimed it by then (the process ended before queuing it, the queue refused
   * it, the commit's answer was lost, the executor keeps failing): long enough for the queue to
   * deliver it first in the usual course (README "Outbound HTTP calls").
   */
  static final Duration LEFT_CALLS_DUE_AFTER = Duration.ofMinutes(1);
  static final Function<RunResult.Completed, Optional<Delivery>> NO_DELIVERY =
      done -> Optional.empty();

  private final Store store;
  private final ScriptRuntime runtime;
  private final Minter minter;
  private final IdGenerator ids;
  private final Clock clock;
  private final Settings settings;
  private final IpAllowlist allowlist;
  private final CodeCache codeCache;
  private final BotLocks botLocks = new BotLocks();
  private final ResolvingCommitter committer;
  private final Deliveries deliveries;
  private final ScheduledRuns scheduled;
  private final OutboundCalls outbound;
  private final RateLimit rateLimit;

  static {
    CompilerSignatureClasses.load();
  }

  public HitService(
      Store store,
      ScriptRuntime runtime,
      Minter minter,
      IdGenerator ids,
      Clock clock,
      Settings settings) {
    this(store, runtime, minter, ids, clock, settings,
        OperatorLog.toStandardError(OperatorLog.WEBHOOK_FUNCTION, clock), OutboundCalls.NONE);
  }

  /** @param log where scheduled runs' lines go; @param outbound where runs' HTTP.* calls go */
  public HitService(
      Store store,
      ScriptRuntime runtime,
      Minter minter,
      IdGenerator ids,
      Clock clock,
      Settings settings,
      OperatorLog log,
      OutboundCalls outbound) {
    this.outbound = outbound;
    this.store = store;
    this.runtime = runtime;
    this.minter = minter;
    this.ids = ids;
    this.clock = clock;
    this.settings = settings;
    this.allowlist = IpAllowlist.parse(settings.ipAllowlist());
    this.rateLimit = new RateLimit(store, settings.limits().rateLimitPerMinute());
    this.codeCache = new CodeCache(store);
    this.committer = new ResolvingCommitter(store, clock);
    this.deliveries = new Deliveries(store, clock, settings.deliveryRetention());
    this.scheduled = new ScheduledRuns(this, store, clock, settings, log);
  }

  /** Whether runs may make outbound calls, with which caps, and where they go. */
  OutboundCalls outbound() {
    return outbound;
  }

  /** One run of a chain: what, as whom, with what input ({@code reply}: a callback's). */
  record RunSpec(String message, String content, JsonNode options, Optional<BotUser> user,
      Optional<HttpReply> reply, boolean byCommand, Optional<ScheduledRun> takes) {
    /** The hook's own command. */
    RunSpec(String message, String content, JsonNode options, Optional<BotUser> user) {
      this(message, content, options, user, Optional.empty(), false, Optional.empty());
    }

    /** A run another command asked for ({@code Bot.run}, {@code run_after}). */
    static RunSpec asked(String message, JsonNode options, Optional<BotUser> user) {
      return new RunSpec(message, "", options, user, Optional.empty(), true, Optional.empty());
    }

    /** The run of a kept {@code Bot.run} call, whose commit takes it out of the schedule. */
    static RunSpec of(ScheduledRun run, Optional<BotUser> user) {
      return new RunSpec(
          run.message(), "", run.options(), user, Optional.empty(), true, Optional.of(run));
    }

    /** The callback of an outbound call. */
    static RunSpec callback(
        String message, String content, JsonNode options, Optional<BotUser> user, HttpReply reply) {
      return new RunSpec(
          message, content, options, user, Optional.of(reply), true, Optional.empty());
    }
  }

  /**
   * A committed or dry replay of a logged hit: its id, and the delivery id it was logged with,
   * which the replay is (README "The request log"); an entry without the field (written before
   * entries had it) has its id found in its logged request, as far as that still shows it.
   */
  record Replay(String hitId, Optional<String> deliveryId, boolean deliveryLogged) {}

  /**
   * One hit of hook {@code hookId}: its outcome and the facts of its log line. A store failure,
   * before, in or after a run, is the outcome {@link HitOutcome.StoreUnavailable}. {@code
   * replay} names the logged hit this one replays, if it does (README "The request log").
   */
  HitReport hit(
      HttpRequest request,
      String hookId,
      Map<String, List<String>> pathParams,
      Optional<Replay> replay) {
    RequestMeter meter = new RequestMeter();
    HitReport report;
    try {
      report = meter.during(() -> hitMetered(request, hookId, pathParams, meter, replay));
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
      RequestMeter meter,
      Optional<Replay> replay) {
    Instant now = clock.instant();
    Optional<String> client =
        allowlist.contains(request.sourceIp())
            ? Optional.empty()
            : Optional.of(IpAllowlist.canonical(request.sourceIp()).orElse(request.sourceIp()));
    HitReport notFound = HitReport.of(new HitOutcome.NotFound(), Optional.empty());
    if (!Ids.isHookId(hookId)) {
      // Counted all the same: README "Choices where the contract left room", the rate limit.
      return rateLimit.counted(client, now, notFound);
    }
    // The rate count so far, the hook, its bot and its user, read together (README
    // "Performance"); the hit's last write adds it to the count, if the limit still allows.
    Store.HitStart start = store.startHit(hookId, client, now, codeCache::lacks);
    start.code().ifPresent(codeCache::keep);
    if (rateLimit.refuses(start.clientHits())) {
      return RateLimit.refused(now);
    }
    if (start.hook().isEmpty() || start.botAndUser().bot().isEmpty()) {
      return rateLimit.counted(client, now, notFound);
    }
    Webhook hook = start.hook().get();
    boolean live = hook.isLiveAt(now);
    HitInput input = HitInput.of(request, hook, pathParams);
    Instant deadline = now.plus(settings.limits().scriptTime());
    HitLogDraft draft =
        HitLogDraft.of(
            ids.timeOrderedId(now), request, hook, start.botAndUser(), clock,
            replay.map(Replay::hitId), settings.hitLog(), rateLimit.charge(client, now));
    // A replay is the delivery its original was, whatever its logged request still shows (a
    // redacted header, a cut body).
    Optional<String> deliveryId =
        replay.isPresent() && replay.get().deliveryLogged()
            ? replay.get().deliveryId()
            : DeliveryIds.of(
                request, hook, input.options().get("params"), draft.redactedHeaders());
    draft.deliveryId(deliveryId);
    if (!live) {
      // An expired hook runs nothing, but a provider's retry of a delivery it applied while live
      // is answered what it was (README "Reliability"), not 404.
      return deliveryId
          .flatMap(id -> deliveries.recorded(hook.id(), id))
          .map(answer -> repeat(draft, answer, hook))
          .orElseGet(() -> rateLimit.counted(client, now, notFound));
    }
    if (deliveryId.isEmpty()) {
      return runHook(
          request, hook, start.botAndUser(), input, deadline, meter, Optional.empty(), draft);
    }
    Deliveries.Ticket ticket;
    switch (deliveries.admit(hook.id(), deliveryId.get(), deadline)) {
      case Deliveries.Admission.Answered answered -> {
        return repeat(draft, answered.outcome(), hook);
      }
      case Deliveries.Admission.Run run -> ticket = run.ticket();
    }
    try {
      return runHook(
          request, hook, start.botAndUser(), input, deadline, meter, Optional.of(ticket), draft);
    } finally {
      deliveries.release(ticket);
    }
  }

  /** A repeat of a recorded delivery: its first answer, logged as a repeat. */
  private HitReport repeat(HitLogDraft draft, HitOutcome answer, Webhook hook) {
    Optional<String> logged;
    try {
      logged = draft.logRepeat(store, answer);
    } catch (RateLimitedException e) {
      return RateLimit.refused(clock.instant());
    }
    return HitReport.ofBot(answer, hook.botId()).withHitId(logged);
  }

  /** The hook's bot and user, its chain run, and its answer, recorded for its delivery if any. */
  private HitReport runHook(
      HttpRequest request,
      Webhook hook,
      Store.BotAndUser loaded,
      HitInput input,
      Instant deadline,
      RequestMeter meter,
      Optional<Deliveries.Ticket> ticket,
      HitLogDraft draft) {
    Bot bot = loaded.bot().orElseThrow();
    Optional<BotUser> user =
        hook.user().map(id -> loaded.user().orElseGet(() -> BotUser.unknown(bot.id(), id)));
    Chain chain =
        new Chain(bot, hook.id(), request.requestId(), baseUrlOf(request), deadline, meter);
    chain.hitLog = draft;
    Function<RunResult.Completed, Optional<Delivery>> record =
        done ->
            ticket.map(
                t ->
                    deliveries.record(
                        t, WebhookEndpoint.toResponse(HitOutcome.of(done, hook), chain.requestId)));
    try {
      return chain.report(runChain(chain, input, hook, user, record));
    } catch (StoreUnavailableException e) {
      return chain.report(storeUnavailable(request.requestId(), e.getMessage()));
    } catch (DuplicateDeliveryException e) {
      // A copy that ran beside another process's: logged and counted as a repeat (README
      // "Reliability"), since it applied nothing.
      HitOutcome first = deliveries.firstAnswer(ticket.orElseThrow());
      try {
        chain.loggedHitId = draft.logRepeat(store, first);
      } catch (RateLimitedException limited) {
        chain.limit = Optional.of(Settings.Env.RATE_LIMIT_PER_MINUTE);
        return chain.report(RateLimit.refused(clock.instant()).outcome());
      }
      return chain.report(first);
    } catch (RateLimitedException e) {
      // The hit's last write found its client at the limit: nothing of it applied.
      chain.limit = Optional.of(Settings.Env.RATE_LIMIT_PER_MINUTE);
      return chain.report(RateLimit.refused(clock.instant()).outcome());
    } catch (ResolvingCommitter.OutcomeUnknownException e) {
      Optional<String> deliveryId = ticket.map(Deliveries.Ticket::id);
      chain.logOutcomeUnknown(hook.command(), deliveryId, e);
      return chain.report(new HitOutcome.OutcomeUnknown(STORE_RETRY_AFTER, deliveryId));
    }
  }

  /**
   * The hook's command chain, then its {@code Bot.run} calls; the outcome of the hit, which once
   * the chain committed is its answer whatever the {@code Bot.run} calls do.
   */
  private HitOutcome runChain(
      Chain chain,
      HitInput input,
      Webhook hook,
      Optional<BotUser> user,
      Function<RunResult.Completed, Optional<Delivery>> record) {
    RunResult main =
        chain.runCommitted(
            new RunSpec(hook.command(), input.content(), input.options(), user), record);
    return switch (main) {
      case RunResult.Failed failed -> {
        chain.logFailure(hook.command(), failed);
        yield new HitOutcome.CommandFailed(RunFailures.reasonOf(failed));
      }
      case RunResult.StoreUnavailable down -> storeUnavailable(chain.requestId, down.message());
      case RunResult.Completed completed -> {
        chain
            .runFollowUps()
            .ifPresent(
                down ->
                    System.err.println(
                        "Bot.run after the commit of request " + chain.requestId
                            + " stopped, store unavailable: " + down.message()));
        yield HitOutcome.of(completed, hook);
      }
    };
  }

  private static HitOutcome storeUnavailable(String requestId, String message) {
    System.err.println("store unavailable for request " + requestId + ": " + message);
    return new HitOutcome.StoreUnavailable(STORE_RETRY_AFTER);
  }

  /** The runs of one hit, which share its deadline and its run and message budgets. */
  final class Chain {
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
    private final String hitId = ids.randomId();
    private int runs;
    private Optional<String> loggedHitId = Optional.empty();
    private HitLogDraft hitLog; // the hit's request-log entry, until written with its main run
    /** {@code Bot.run} calls without {@code run_after} that committed runs kept, in call order. */
    private final Deque<ScheduledRun> followUps = new ArrayDeque<>();

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
      return new HitReport(outcome, Optional.of(bot.id()), attempts, limit, 0, loggedHitId);
    }

    /**
     * The {@code Bot.run} calls that committed runs kept, in call order, and those they make
     * after them, each run with a commit that takes it out of the schedule (a run a poll took
     * first applies nothing here), until the store fails or the chain's time is spent, either of
     * which ends the chain and leaves the rest to the schedule's polls. A run that failed leaves
     * the schedule, except one that the chain's time limit ended: it applied nothing and stays,
     * for a poll to run with a time of its own. The run that asked for them has committed, so a
     * failing store ends only the chain, never the hit's answer: an answer of 503 there would
     * have its caller send again what was applied.
     */
    Optional<RunResult.StoreUnavailable> runFollowUps() {
      while (!followUps.isEmpty()) {
        if (!clock.instant().isBefore(deadline)) {
          System.err.println(
              followUps.size() + " Bot.run calls of request " + requestId
                  + " left to the schedule: the chain's time is spent");
          return Optional.empty();
        }
        ScheduledRun next = followUps.removeFirst();
        RunResult result;
        try {
          Optional<BotUser> user = next.user().map(this::userOf);
          result = runCommitted(RunSpec.of(next, user), NO_DELIVERY);
          if (result instanceof RunResult.Failed failed) {
            if (endedByTheChainsTime(failed)) {
              System.err.println(
                  "Bot.run " + next.id() + " of request " + requestId
                      + " left in the schedule: the chain's time is spent");
              continue;
            }
            if (!store.claimRun(next)) {
              continue; // a poll ran it meanwhile: that run is the one that counts
            }
          }
        } catch (RunTakenException e) {
          continue; // a poll ran it first, and committed
        } catch (StoreUnavailableException e) {
          return Optional.of(new RunResult.StoreUnavailable(e.getMessage()));
        } catch (ResolvingCommitter.OutcomeUnknownException e) {
          logOutcomeUnknown(next.message(), Optional.empty(), e);
          continue;
        } catch (RuntimeException e) {
          // A fault of ours in one chained run: the hit has committed, so it is that run's
          // failure, in the error log, never the hit's answer.
          System.err.println("Bot.run after the commit of request " + requestId + " failed: " + e);
          logFailure(next.message(), new RunResult.Failed("internal error", Optional.empty()));
          try {
            store.claimRun(next); // a poll would meet the same fault
          } catch (StoreUnavailableException down) {
            return Optional.of(new RunResult.StoreUnavailable(down.getMessage()));
          }
          continue;
        }
        switch (result) {
          case RunResult.Completed done -> {}
          case RunResult.Failed failed -> logFailure(next.message(), failed);
          case RunResult.StoreUnavailable down -> {
            return Optional.of(down);
          }
        }
      }
      return Optional.empty();
    }

    private static boolean endedByTheChainsTime(RunResult.Failed failed) {
      return failed.limit().equals(Optional.of(Settings.Env.SCRIPT_TIME_LIMIT_MS));
    }

    /**
     * A completed run's {@code Bot.run} calls as the schedule keeps them, each as the user it
     * names or else as the run's own: with {@code run_after}, due then; without, due {@link
     * #LEFT_RUNS_DUE_AFTER} past the chain's deadline, for a poll to run if this chain does not
     * run it first.
     */
    private List<ScheduledRun> kept(
        List<RunResult.DeferredRun> deferred, Optional<BotUser> runUser) {
      if (deferred.isEmpty()) {
        return List.of();
      }
      Instant at = clock.instant();
      List<ScheduledRun> runs = new ArrayList<>(deferred.size());
      for (RunResult.DeferredRun run : deferred) {
        boolean later = !run.runAfter().isZero();
        runs.add(
            new ScheduledRun(
                ids.timeOrderedId(at),
                bot.id(),
                hookId,
                run.message(),
                run.options(),
                run.userId().or(() -> runUser.map(BotUser::id)).orElse(null),
                later ? at.plus(run.runAfter()) : deadline.plus(LEFT_RUNS_DUE_AFTER),
                run.label(),
                baseUrl));
      }
      return runs;
    }

    private BotUser userOf(String userId) {
      return store.user(bot.id(), userId).orElseGet(() -> BotUser.unknown(bot.id(), userId));
    }

    /**
     * Runs once and commits; on a conflict, drops the run's effects and runs it again after a
     * jittered backoff, while the hit has time. Runs of this bot for this user in this process
     * take turns; other users' runs do not wait for them.
     */
    RunResult runCommitted(
        RunSpec spec, Function<RunResult.Completed, Optional<Delivery>> record) {
      String turn = bot.id() + "#" + spec.user().map(BotUser::id).orElse("");
      if (!botLocks.acquire(turn, Duration.between(clock.instant(), deadline))) {
        return timeUp();
      }
      int run = runs++;
      try {
        for (int attempt = 0; ; attempt++) {
          attempts++;
          RunTransaction tx =
              new RunTransaction(
                  store, minter, meter, bot.id(), baseUrl, settings.limits(),
                  new QueuedCalls(outbound, ids, bot.id(), hookId, spec.user(), baseUrl));
          boolean kept = false;
          try {
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
                        messagesUsed,
                        spec.reply(),
                        spec.byCommand()),
                    tx);
            if (!(result instanceof RunResult.Completed completed)) {
              return result;
            }
            // The token names the hit, the run and the attempt: a resend of this commit applies
            // once.
            List<ScheduledRun> runsKept = kept(completed.deferred(), spec.user());
            List<HttpCall> callsKept = tx.calls().kept(deadline.plus(LEFT_CALLS_DUE_AFTER));
            Commit commit =
                tx.commitOf(
                    OutboxEntries.of(
                        completed, bot.id(), spec.user().map(BotUser::id), hookId, clock, ids),
                    runsKept,
                    callsKept,
                    spec.takes(),
                    hitId + "-" + run + "-" + attempt,
                    record.apply(completed));
            if (hitLog != null) {
              commit = commit.withHit(hitLog.completed(completed, tx.changes()), hitLog.charge());
            }
            try {
              if (!commit.isEmpty() || commit.hit().isPresent()) {
                committer.commit(commit, deadline);
              }
              kept = true;
              logged();
              runsUsed = completed.runsUsed();
              messagesUsed = completed.messagesUsed();
              for (int i = 0; i < runsKept.size(); i++) {
                if (completed.deferred().get(i).runAfter().isZero()) {
                  followUps.add(runsKept.get(i));
                }
              }
              tx.calls().send(callsKept);
              return completed;
            } catch (CommitConflictException conflict) {
              Duration pause = Backoff.after(attempt);
              if (clock.instant().plus(pause).isAfter(deadline)) {
                return timeUp();
              }
              Backoff.sleep(pause);
            } catch (ResolvingCommitter.OutcomeUnknownException unknown) {
              kept = true; // its commit, hooks' URLs in its messages included, may have applied
              throw unknown;
            }
          } finally {
            if (!kept) {
              tx.dropMinted();
            }
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

    void logFailure(String command, RunResult.Failed failed) {
      if (failed.limit().isPresent()) {
        limit = failed.limit();
      }
      logError(command, failed.message(), failed.limit().orElse(null), Optional.ofNullable(hitLog));
    }

    /** The hit's entry is in the request log: the chain's later runs log none. */
    private void logged() {
      loggedHitId = Optional.ofNullable(hitLog).map(HitLogDraft::id).or(() -> loggedHitId);
      hitLog = null;
    }

    /** README "Reliability": the error log and standard error name the delivery in doubt. */
    void logOutcomeUnknown(
        String command, Optional<String> deliveryId, ResolvingCommitter.OutcomeUnknownException e) {
      String message = e.describe(requestId, deliveryId);
      System.err.println(message);
      logError(command, message, null, Optional.empty());
    }

    /**
     * An error-log entry, written with the hit's request-log entry and rate charge when the hit's
     * entry is given.
     *
     * @throws RateLimitedException nothing written: the hit's client is over the limit
     */
    private void logError(
        String command, String message, String limitName, Optional<HitLogDraft> hit) {
      Instant at = clock.instant();
      ErrorEntry entry =
          new ErrorEntry(
              ids.timeOrderedId(at), bot.id(), hookId, command, message, limitName, requestId, at);
      try {
        if (hit.isPresent()) {
          store.logHit(hit.get().failed(message), Optional.of(entry), hit.get().charge());
          logged();
        } else {
          store.logError(entry);
        }
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
   * Executes the scheduled runs that are due, each taken out of the schedule by its own commit so
   * that its effects apply once however many instances poll. Returns how many ran (successfully
   * or not).
   */
  public int runDueRuns() {
    return scheduled.runDueRuns(Optional.empty());
  }

  /**
   * The same, starting only runs that can finish by {@code endBy} (the invocation's timeout), so
   * that none is cut off.
   */
  public int runDueRuns(Optional<Instant> endBy) {
    return scheduled.runDueRuns(endBy);
  }

  /** A chain of runs of this bot, as a hit or a scheduled run starts one. */
  Chain chain(
      Bot bot, String hookId, String requestId, String baseUrl, Instant deadline,
      RequestMeter meter) {
    return new Chain(bot, hookId, requestId, baseUrl, deadline, meter);
  }
}
