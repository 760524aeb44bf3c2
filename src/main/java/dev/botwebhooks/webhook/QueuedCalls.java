package dev.botwebhooks.webhook;

import dev.botwebhooks.core.BotUser;
import dev.botwebhooks.core.HttpCall;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.InvalidRequestException;
import dev.botwebhooks.core.LimitExceededException;
import dev.botwebhooks.core.RunResult;
import dev.botwebhooks.egress.EgressSettings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The outbound calls one run asked for, held until it commits and then sent to the queue (README
 * "Outbound HTTP calls"); the per-run caps are checked as they are asked for.
 */
final class QueuedCalls {
  private final OutboundCalls outbound;
  private final IdGenerator ids;
  private final String botId;
  private final String hookId;
  private final String userId;
  private final String baseUrl;
  private final List<HttpCall.Request> requests = new ArrayList<>();

  /** @param user the user the callbacks run as */
  QueuedCalls(
      OutboundCalls outbound,
      IdGenerator ids,
      String botId,
      String hookId,
      Optional<BotUser> user,
      String baseUrl) {
    this.outbound = outbound;
    this.ids = ids;
    this.botId = botId;
    this.hookId = hookId;
    this.userId = user.map(BotUser::id).orElse(null);
    this.baseUrl = baseUrl;
  }

  void add(HttpCall.Request request) {
    if (outbound.egress().isEmpty()) {
      throw new InvalidRequestException("HTTP", "HTTP is not available in webhook commands");
    }
    EgressSettings settings = outbound.egress().get();
    if (requests.size() >= settings.callsPerRun()) {
      throw new LimitExceededException(
          EgressSettings.HTTP_CALLS_PER_RUN,
          "a run may make at most " + settings.callsPerRun() + " HTTP calls");
    }
    long bytes = sizeOf(request);
    if (bytes > settings.maxRequestBytes()) {
      throw new LimitExceededException(
          EgressSettings.HTTP_MAX_REQUEST_BYTES,
          "an HTTP." + request.method().toLowerCase(Locale.ROOT) + " call is " + bytes
              + " bytes, over the limit of " + settings.maxRequestBytes());
    }
    requests.add(request);
  }

  /**
   * Sends the calls, each with an id of its own; called once the run has committed, never before.
   *
   * @return why they could not be queued, for the error log
   */
  Optional<RunResult.Failed> send() {
    if (requests.isEmpty()) {
      return Optional.empty();
    }
    List<HttpCall> calls = new ArrayList<>();
    for (HttpCall.Request r : requests) {
      calls.add(new HttpCall(ids.randomId(), botId, hookId, userId, baseUrl, r));
    }
    try {
      outbound.queue().send(calls);
      return Optional.empty();
    } catch (RuntimeException e) {
      String why = "the HTTP calls of a committed run could not be queued: " + e.getMessage();
      return Optional.of(new RunResult.Failed(why, Optional.empty()));
    }
  }

  /** URL, headers, body and the options passed on to the callback, as the queue carries them. */
  private static long sizeOf(HttpCall.Request r) {
    long n = utf8(r.url()) + utf8(r.body()) + utf8(r.options().toString());
    for (Map.Entry<String, String> h : r.headers().entrySet()) {
      n += utf8(h.getKey()) + utf8(h.getValue()) + 4;
    }
    return n;
  }

  private static long utf8(String s) {
    return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
  }
}
