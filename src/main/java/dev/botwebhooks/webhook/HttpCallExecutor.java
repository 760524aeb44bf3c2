package dev.botwebhooks.webhook;

import dev.botwebhooks.core.Bot;
import dev.botwebhooks.core.BotUser;
import dev.botwebhooks.core.ErrorEntry;
import dev.botwebhooks.core.HttpCall;
import dev.botwebhooks.core.HttpReply;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.InvalidRequestException;
import dev.botwebhooks.core.RequestMeter;
import dev.botwebhooks.core.RunResult;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.core.StoreUnavailableException;
import dev.botwebhooks.egress.EgressClient;
import dev.botwebhooks.egress.EgressRefusedException;
import dev.botwebhooks.egress.EgressRequest;
import dev.botwebhooks.egress.EgressResponse;
import dev.botwebhooks.egress.EgressSettings;
import dev.botwebhooks.gitimport.BotArchive;
import dev.botwebhooks.gitimport.GitImport;
import dev.botwebhooks.oplog.Failure;
import dev.botwebhooks.oplog.LogLine;
import dev.botwebhooks.oplog.OperatorLog;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Makes one outbound call (README "Outbound HTTP calls"): claims it first, taking it out of the
 * store where its run's commit kept it, so that a queue that delivers it again, or a poll that
 * finds it due, finds it taken, counts it against the bot's calls per minute, sends it
 * through the egress client, and runs the {@code success} command with the response or the {@code
 * error} command with the reason as a committed run of the bot and user that queued it. A refusal
 * or failure is also written to the bot's error log, with the limit's name when a limit refused it.
 * Each delivery writes one operator log line of kind {@code queued} (README "Operator logs and
 * metrics").
 */
public final class HttpCallExecutor {
  private final Store store;
  private final HitService hits;
  private final EgressClient client;
  private final EgressSettings settings;
  private final IdGenerator ids;
  private final Clock clock;
  private final Duration scriptTime;
  private final OperatorLog log;

  public HttpCallExecutor(
      Store store,
      HitService hits,
      EgressClient client,
      EgressSettings settings,
      Duration scriptTime,
      IdGenerator ids,
      Clock clock,
      OperatorLog log) {
    this.scriptTime = scriptTime;
    this.log = log;
    this.store = store;
    this.hits = hits;
    this.client = client;
    this.settings = settings;
    this.ids = ids;
    this.clock = clock;
  }

  /**
   * How one delivery of a call went.
   *
   * @param result {@code redelivery} (claimed before: not made again), {@code success} (a
   *     response came) or {@code error} (refused or failed)
   * @param status the response status; 0 without one
   * @param callbackCommitted whether a callback command ran and committed
   */
  public record Outcome(String result, int status, boolean callbackCommitted) {
    public boolean made() {
      return !result.equals("redelivery");
    }
  }

  /**
   * Makes the call and runs its callback, unless it was claimed before (a redelivery), and writes
   * the delivery's operator log line (a store failure, which the queue retries, is logged as one).
   */
  public Outcome execute(HttpCall call) {
    long started = System.nanoTime();
    RequestMeter meter = new RequestMeter();
    Delivered delivered = null;
    try {
      delivered = meter.during(() -> deliver(call));
      return delivered.outcome();
    } finally {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("call_id", call.id());
      details.put("result", delivered == null ? null : delivered.outcome().result());
      details.put("http_status", delivered == null ? 0 : delivered.outcome().status());
      log.write(
          new LogLine(
              "queued",
              "http-" + call.id(),
              Optional.of(call.botId()),
              Optional.empty(),
              delivered == null ? Optional.of(Failure.STORE) : delivered.failure(),
              delivered == null ? Optional.empty() : delivered.reason(),
              (System.nanoTime() - started) / 1_000_000,
              meter.requests(),
              details));
    }
  }

  /** The due calls one poll reads at most. */
  static final int DUE_CALLS_PER_POLL = 25;

  /**
   * Makes the kept calls that are due, which the queue's executor did not claim in time (the
   * process that committed them ended before queuing them, the queue refused them, the executor
   * keeps failing), each claimed first, so that a call the queue delivers later is not made again,
   * and none claimed unless it can finish by {@code endBy}. Returns how many it made; stops at a
   * store that fails (the calls stay kept for the next poll).
   */
  public int makeDueCalls(Optional<Instant> endBy) {
    int made = 0;
    try {
      for (HttpCall call : store.dueCalls(clock.instant(), DUE_CALLS_PER_POLL)) {
        if (endBy.isPresent() && clock.instant().plus(longest(call)).isAfter(endBy.get())) {
          break;
        }
        if (execute(call).made()) {
          made++;
        }
      }
    } catch (StoreUnavailableException e) {
      System.err.println("due outbound calls: the store failed, left for the next poll: " + e);
    }
    return made;
  }

  /**
   * The longest a call may take: each of its requests (with its redirects, when it follows them)
   * at {@code HTTP_TIMEOUT_MS}, its callback at the script time limit, and the store calls around
   * them.
   */
  private Duration longest(HttpCall call) {
    int requests = call.request().followRedirects() ? 1 + EgressClient.MAX_REDIRECTS : 1;
    return settings
        .timeout()
        .multipliedBy(requests)
        .plus(scriptTime)
        .plus(ScheduledRuns.STORE_CALLS_ALLOWANCE);
  }

  /** A delivery's outcome, with why it failed for its log line. */
  private record Delivered(Outcome outcome, Optional<Failure> failure, Optional<String> reason) {
    static Delivered ok(Outcome outcome) {
      return new Delivered(outcome, Optional.empty(), Optional.empty());
    }

    /** A callback that did not commit is the command's failure (its error log says why). */
    static Delivered withCallback(Outcome outcome, boolean hadCallback) {
      return hadCallback && !outcome.callbackCommitted()
          ? new Delivered(outcome, Optional.of(Failure.COMMAND), Optional.of("callback failed"))
          : ok(outcome);
    }
  }

  private Delivered deliver(HttpCall call) {
    Instant now = clock.instant();
    if (!store.claimHttpCall(call)) {
      return Delivered.ok(new Outcome("redelivery", 0, false));
    }
    HttpCall.Request r = call.request();
    EgressResponse response;
    try {
      checkBotRate(call, now);
      byte[] body = r.body() == null ? null : r.body().getBytes(StandardCharsets.UTF_8);
      response =
          client.send(
              new EgressRequest(r.method(), r.url(), r.headers(), body, r.followRedirects()));
    } catch (EgressRefusedException refused) {
      logError(call, refused.getMessage(), refused.limit().orElse(null));
      // A call over the bot's rate runs no error command: that command could queue more calls,
      // each refused in turn with its own callback, a chain that would only grow.
      boolean overBotRate =
          refused.limit().filter(EgressSettings.HTTP_CALLS_PER_BOT_PER_MINUTE::equals).isPresent();
      boolean ran =
          r.error() != null
              && !overBotRate
              && runCallback(call, r.error(), refused.getMessage(), new HttpReply(0, Map.of(), ""));
      // Refused by a limit, or because the command asked for what the policy forbids.
      return new Delivered(
          new Outcome("error", 0, ran),
          Optional.of(refused.limit().isPresent() ? Failure.LIMIT : Failure.COMMAND),
          Optional.of(refused.limit().orElse("refused")));
    }
    if (r.gitImport()) {
      return imported(call, response);
    }
    boolean ran =
        r.success() != null
            && runCallback(call, r.success(), response.body(), replyOf(response));
    return Delivered.withCallback(
        new Outcome("success", response.status(), ran), r.success() != null);
  }

  /**
   * {@code Bot.importGit}: the archive replaces the bot's code (README "Importing from git"), then
   * {@code success} runs with what changed as {@code content}; an archive that is refused changes
   * nothing, goes to the error log, and runs {@code error} with the reason.
   */
  private Delivered imported(HttpCall call, EgressResponse response) {
    HttpCall.Request r = call.request();
    GitImport.Summary summary;
    try {
      if (response.status() != 200) {
        throw new InvalidRequestException(
            "archive", "the git archive's URL answered " + response.status() + ", not 200");
      }
      summary = GitImport.apply(store, call.botId(), BotArchive.read(response.bytes()));
    } catch (InvalidRequestException e) {
      logError(call, e.getMessage(), null);
      boolean ran =
          r.error() != null && runCallback(call, r.error(), e.getMessage(), replyOf(response));
      return new Delivered(
          new Outcome("error", response.status(), ran),
          Optional.of(Failure.COMMAND),
          Optional.of("git import refused"));
    } catch (StoreUnavailableException e) {
      // Files are written one by one: some may be, and the claim keeps a redelivery from trying
      // again, so the bot's owner is told, as far as the store still answers (README "Importing
      // from git").
      String why =
          "the import stopped part-way, the store failing (" + e.getMessage() + "): some of the"
              + " archive's files may be written and others not; import again to finish";
      boolean ran = false;
      try {
        logError(call, why, null);
        ran = r.error() != null && runCallback(call, r.error(), why, replyOf(response));
      } catch (StoreUnavailableException again) {
        System.err.println("git import of call " + call.id() + " not reported: " + again);
      }
      return new Delivered(
          new Outcome("error", response.status(), ran),
          Optional.of(Failure.STORE),
          Optional.of("git import stopped part-way"));
    }
    boolean ran =
        r.success() != null
            && runCallback(call, r.success(), summary.toJson().toString(), replyOf(response));
    return Delivered.withCallback(
        new Outcome("success", response.status(), ran), r.success() != null);
  }

  private static HttpReply replyOf(EgressResponse response) {
    return new HttpReply(response.status(), response.headers(), response.cookies());
  }

  /**
   * The callback command as a new committed run of the call's bot and user, with the chain it
   * starts; true when it committed.
   */
  private boolean runCallback(HttpCall call, String command, String content, HttpReply reply) {
    Store.BotAndUser loaded = store.botAndUser(call.botId(), call.user());
    if (loaded.bot().isEmpty()) {
      return false;
    }
    Bot bot = loaded.bot().get();
    Optional<BotUser> user =
        call.user().map(id -> loaded.user().orElseGet(() -> BotUser.unknown(bot.id(), id)));
    Instant deadline = clock.instant().plus(scriptTime);
    HitService.Chain chain =
        hits.chain(bot, call.hookId(), "http-" + call.id(), call.baseUrl(), deadline,
            new RequestMeter());
    HitService.RunSpec spec =
        HitService.RunSpec.callback(command, content, call.request().options(), user, reply);
    RunResult result;
    try {
      result = chain.runCommitted(spec, HitService.NO_DELIVERY);
    } catch (ResolvingCommitter.OutcomeUnknownException e) {
      chain.logOutcomeUnknown(command, Optional.empty(), e);
      return false;
    }
    return switch (result) {
      case RunResult.Completed completed -> {
        chain.runFollowUps();
        yield true;
      }
      case RunResult.Failed failed -> {
        chain.logFailure(command, failed);
        yield false;
      }
      case RunResult.StoreUnavailable down -> false;
    };
  }

  private void checkBotRate(HttpCall call, Instant now) throws EgressRefusedException {
    long count = store.countHit("HTTP#" + call.botId(), now);
    if (count > settings.callsPerBotPerMinute()) {
      throw new EgressRefusedException(
          "the bot made more than " + settings.callsPerBotPerMinute() + " HTTP calls this minute",
          EgressSettings.HTTP_CALLS_PER_BOT_PER_MINUTE);
    }
  }

  private void logError(HttpCall call, String reason, String limit) {
    Instant at = clock.instant();
    String what =
        call.request().gitImport()
            ? "Bot.importGit"
            : "HTTP." + call.request().method().toLowerCase(Locale.ROOT);
    store.logError(
        new ErrorEntry(
            ids.timeOrderedId(at),
            call.botId(),
            call.hookId(),
            what,
            what + " failed: " + reason,
            limit,
            "http-" + call.id(),
            at));
  }
}
