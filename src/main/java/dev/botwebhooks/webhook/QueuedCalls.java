package dev.botwebhooks.webhook;

import dev.botwebhooks.core.BotUser;
import dev.botwebhooks.core.HttpCall;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.InvalidRequestException;
import dev.botwebhooks.core.LimitExceededException;
import dev.botwebhooks.egress.EgressSettings;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The outbound calls one run asked for, kept by its commit and then sent to the queue (README
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
  private long bytes;

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

  /**
   * Checks a call the run asks for against the per-run caps and returns its size, as {@link
   * #bytes} counts it; {@link #add} then queues it.
   */
  long check(HttpCall.Request request) {
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
    return bytes;
  }

  /** Queues a call {@link #check} passed, of that size. */
  void add(HttpCall.Request request, long size) {
    requests.add(request);
    bytes += size;
  }

  /** The calls queued so far. */
  int count() {
    return requests.size();
  }

  /** Their URLs, headers, bodies and options, as the queue and the store carry them. */
  long bytes() {
    return bytes;
  }

  /**
   * The calls as the run's commit keeps them, each with an id of its own that starts with {@code
   * dueAt}: when a poll makes it if the queue's executor has not claimed it by then.
   */
  List<HttpCall> kept(Instant dueAt) {
    if (requests.isEmpty()) {
      return List.of();
    }
    List<HttpCall> calls = new ArrayList<>(requests.size());
    for (HttpCall.Request r : requests) {
      calls.add(new HttpCall(ids.timeOrderedId(dueAt), botId, hookId, userId, baseUrl, r));
    }
    return calls;
  }

  /**
   * Sends the calls the run's commit kept to the queue; called once it has committed, never
   * before. Calls the queue does not take stay kept, and a poll makes them once they are due: the
   * failure is only written to standard error.
   */
  void send(List<HttpCall> calls) {
    if (calls.isEmpty()) {
      return;
    }
    try {
      outbound.queue().send(calls);
    } catch (RuntimeException e) {
      System.err.println(
          calls.size() + " outbound call(s) of bot " + botId + " not queued, left for a poll at "
              + calls.get(0).dueAt() + ": " + e.getMessage());
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
