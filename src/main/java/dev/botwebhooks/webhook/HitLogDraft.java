package dev.botwebhooks.webhook;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.Bot;
import dev.botwebhooks.core.HitRecord;
import dev.botwebhooks.core.RateCharge;
import dev.botwebhooks.core.RunResult;
import dev.botwebhooks.core.HitLogStore;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.core.StoreUnavailableException;
import dev.botwebhooks.core.Webhook;
import dev.botwebhooks.http.ContentType;
import dev.botwebhooks.http.HttpRequest;
import dev.botwebhooks.http.HttpResponse;
import dev.botwebhooks.json.Json;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A hit's request-log entry in the making (README "The request log"): the request as it came in,
 * its secrets redacted and its body capped, taken when the hit's hook is known; completed with the
 * answer and the run's effects when the hit's outcome is.
 */
final class HitLogDraft {
  /** What a redacted header's value becomes. */
  static final String REDACTED = "[redacted]";

  /** Headers that carry credentials or signatures on every deployment. */
  static final Set<String> ALWAYS_REDACTED =
      Set.of(
          "authorization",
          "proxy-authorization",
          "cookie",
          "set-cookie",
          "x-api-key",
          "x-hub-signature",
          "x-hub-signature-256",
          "stripe-signature",
          "x-signature",
          "x-webhook-signature",
          "x-shopify-hmac-sha256",
          "x-twilio-signature",
          "x-razorpay-signature",
          "x-cc-webhook-signature",
          "paypal-transmission-sig",
          "x-telegram-bot-api-secret-token",
          "verif-hash",
          "flutterwave-signature");

  /** The lower-cased names of the headers whose values are logged as {@link #REDACTED}. */
  static Set<String> redactedHeaders(Settings.HitLog policy) {
    Set<String> redacted = new TreeSet<>(ALWAYS_REDACTED);
    policy.redactHeaders().forEach(h -> redacted.add(h.toLowerCase(Locale.ROOT)));
    return redacted;
  }

  private final String id;
  private final String requestId;
  private final Webhook hook;
  private final long codeVersion;
  private final Instant receivedAt;
  private final Clock clock;
  private final Optional<String> replayOf;
  private Optional<String> deliveryId = Optional.empty();
  private final Settings.HitLog policy;
  private final ObjectNode request;
  private final Optional<RateCharge> charge;
  private final Set<String> redacted;

  private HitLogDraft(
      String id,
      HttpRequest http,
      Webhook hook,
      long codeVersion,
      Clock clock,
      Optional<String> replayOf,
      Settings.HitLog policy,
      ObjectNode request,
      Optional<RateCharge> charge,
      Set<String> redacted) {
    this.id = id;
    this.requestId = http.requestId();
    this.hook = hook;
    this.codeVersion = codeVersion;
    this.receivedAt = clock.instant();
    this.clock = clock;
    this.replayOf = replayOf;
    this.policy = policy;
    this.request = request;
    this.charge = charge;
    this.redacted = redacted;
  }

  /**
   * @param id the entry's time-ordered id, made when the hit arrived
   * @param loaded the hook's bot (whose code version runs) and user
   * @param clock the hit's clock: the entry's time is now, its duration ends when it completes
   * @param replayOf the logged hit this one replays, if it does
   * @param charge the hit's count against the rate limit, written with the entry
   */
  static HitLogDraft of(
      String id,
      HttpRequest request,
      Webhook hook,
      Store.BotAndUser loaded,
      Clock clock,
      Optional<String> replayOf,
      Settings.HitLog policy,
      Optional<RateCharge> charge) {
    Set<String> redacted = redactedHeaders(policy);
    ObjectNode r = Json.object();
    r.put("method", request.method());
    r.put("path", request.path());
    r.put("query", request.rawQuery());
    r.put("base_url", request.baseUrl());
    r.put("ip", request.sourceIp());
    ObjectNode headers = r.putObject("headers");
    request
        .headers()
        .joined()
        .forEach(
            (name, value) ->
                headers.put(
                    name, redacted.contains(name.toLowerCase(Locale.ROOT)) ? REDACTED : value));
    putBody(
        r,
        request.body(),
        policy.bodyBytes(),
        ContentType.charsetOf(request.headers().first("content-type").orElse(null)));
    long codeVersion = loaded.bot().map(Bot::codeVersion).orElse(0L);
    return new HitLogDraft(
        id, request, hook, codeVersion, clock, replayOf, policy, r, charge, redacted);
  }

  String id() {
    return id;
  }

  /** The lower-cased names of the headers this entry redacts. */
  Set<String> redactedHeaders() {
    return redacted;
  }

  /** The hit's delivery id, logged so that a committed replay is the same delivery. */
  void deliveryId(Optional<String> deliveryId) {
    this.deliveryId = deliveryId;
  }

  /** The hit's count against the rate limit, which the write of its entry adds. */
  Optional<RateCharge> charge() {
    return charge;
  }

  /** The entry of a hit whose main run completed: its answer, messages and property changes. */
  HitRecord completed(RunResult.Completed run, List<RunTransaction.Change> changes) {
    HttpResponse answer = WebhookEndpoint.toResponse(HitOutcome.of(run, hook), requestId);
    return complete(answer, run.outputs(), changes, Optional.empty());
  }

  /** The entry of a hit whose main run failed, and why. */
  HitRecord failed(String error) {
    HttpResponse answer =
        WebhookEndpoint.toResponse(new HitOutcome.CommandFailed(error), requestId);
    return complete(answer, List.of(), List.of(), Optional.of(error));
  }

  /**
   * Logs a repeat of a delivery, answered from its record without running, with its rate charge.
   * A store failure here costs the entry only, never the answer.
   *
   * @return the entry's id, if it was written
   * @throws dev.botwebhooks.core.RateLimitedException nothing logged: the client is over the limit
   */
  Optional<String> logRepeat(HitLogStore store, HitOutcome answered) {
    HttpResponse answer = WebhookEndpoint.toResponse(answered, requestId);
    try {
      store.logHit(
          complete(answer, List.of(), List.of(), Optional.empty()), Optional.empty(), charge);
      return Optional.of(id);
    } catch (StoreUnavailableException e) {
      System.err.println("request log write failed for request " + requestId + ": " + e);
      return Optional.empty();
    }
  }

  private HitRecord complete(
      HttpResponse answer,
      List<RunResult.Output> outputs,
      List<RunTransaction.Change> changes,
      Optional<String> error) {
    ObjectNode d = Json.object();
    d.put("id", id);
    d.put("hook_id", hook.id());
    d.put("command", hook.command());
    EffectShapes.putUserId(d, hook.userId());
    d.put("received_at", receivedAt.toString());
    d.put("duration_ms", Duration.between(receivedAt, clock.instant()).toMillis());
    d.put("code_version", codeVersion);
    d.put("replay_of", replayOf.orElse(null));
    d.put("delivery_id", deliveryId.orElse(null));
    d.set("request", request);
    ObjectNode a = d.putObject("answer");
    a.put("status", answer.status());
    ObjectNode headers = a.putObject("headers");
    new TreeMap<>(answer.headers()).forEach(headers::put);
    putBody(a, answer.body().getBytes(StandardCharsets.UTF_8), policy.bodyBytes(), StandardCharsets.UTF_8);
    putEffects(d, outputs, changes, EffectShapes.LOG_CAP);
    EffectShapes.putCut(d, "error", error.orElse(null), EffectShapes.LOG_CAP);
    if (jsonBytesAtMost(d) > MAX_ENTRY_BYTES && jsonBytes(d) > MAX_ENTRY_BYTES) {
      // Many long effects: each kept shorter, then only counted.
      putEffects(d, outputs, changes, SHORT_CAP);
      if (jsonBytes(d) > MAX_ENTRY_BYTES) {
        putEffects(d, List.of(), List.of(), SHORT_CAP);
      }
      d.put("effects_truncated", true);
      d.put("messages_count", outputs.size());
      d.put("property_changes_count", changes.size());
      if (jsonBytes(d) > MAX_ENTRY_BYTES) {
        // Bodies of control characters (six bytes each as escapes) at the top of
        // HIT_LOG_BODY_BYTES, or headers as large as the local server takes.
        ObjectNode req = request.deepCopy();
        d.set("request", req);
        cutBody(req);
        cutBody(a);
        if (jsonBytes(d) > MAX_ENTRY_BYTES) {
          ObjectNode cut = Json.object();
          req.path("headers").fields().forEachRemaining(
              h -> cut.put(h.getKey(), shorter(h.getValue().asText(), SHORT_CAP)));
          req.set("headers", cut);
          req.put("headers_truncated", true);
        }
      }
    }
    return new HitRecord(
        id,
        hook.botId(),
        hook.id(),
        answer.status(),
        receivedAt,
        receivedAt.plus(policy.retention()),
        d);
  }

  /**
   * The most JSON text the entry may take, in UTF-8 bytes: a DynamoDB item holds 400 KB, the
   * entry's other attributes included (README "The request log").
   */
  static final int MAX_ENTRY_BYTES = 300 * 1024;

  /** What an entry over {@link #MAX_ENTRY_BYTES} keeps of each message text and value. */
  private static final int SHORT_CAP = 64;

  private static void putEffects(
      ObjectNode d, List<RunResult.Output> outputs, List<RunTransaction.Change> changes, int cap) {
    ArrayNode messages = d.putArray("messages");
    outputs.forEach(o -> messages.add(EffectShapes.message(o, cap)));
    ArrayNode props = d.putArray("property_changes");
    changes.forEach(c -> props.add(EffectShapes.change(c.key(), c.before(), c.after(), cap)));
  }

  /** What an entry still over the limit keeps of each body. */
  private static final int SHORT_BODY_CHARS = 1024;

  private static void cutBody(ObjectNode o) {
    String body = o.path("body").asText("");
    if (body.length() > SHORT_BODY_CHARS) {
      o.put("body", body.substring(0, SHORT_BODY_CHARS));
      o.put("body_truncated", true);
    }
  }

  private static String shorter(String text, int chars) {
    return text.length() > chars ? text.substring(0, chars) : text;
  }

  private static int jsonBytes(ObjectNode d) {
    return Json.write(d).getBytes(StandardCharsets.UTF_8).length;
  }

  /**
   * A bound on the node's JSON text in UTF-8 bytes, from its texts' lengths (a character takes at
   * most 6 bytes, as an escape), without writing it: most entries are far below the limit.
   */
  private static long jsonBytesAtMost(com.fasterxml.jackson.databind.JsonNode node) {
    if (node.isTextual()) {
      return 6L * node.textValue().length() + 2;
    }
    long bytes = 2;
    if (node.isContainerNode()) {
      var fields = node.fields();
      if (node.isObject()) {
        while (fields.hasNext()) {
          var field = fields.next();
          bytes += 6L * field.getKey().length() + 4 + jsonBytesAtMost(field.getValue());
        }
      } else {
        for (var element : node) {
          bytes += 1 + jsonBytesAtMost(element);
        }
      }
      return bytes;
    }
    return 32;
  }

  /**
   * {@code body}, {@code body_bytes}, {@code body_truncated}: the body's text read in its charset
   * (the one its {@code Content-Type} names, as the command read it; invalid bytes as U+FFFD), so
   * that a replay, which writes the text back in that charset, runs the request the command saw.
   * A cut body ends at the last whole character within the cap.
   */
  private static void putBody(ObjectNode o, byte[] body, int cap, Charset charset) {
    o.put("body", text(body, cap, charset));
    o.put("body_bytes", body.length);
    o.put("body_truncated", body.length > cap);
  }

  private static String text(byte[] body, int cap, Charset charset) {
    if (body.length <= cap && charset.equals(StandardCharsets.UTF_8)) {
      return new String(body, StandardCharsets.UTF_8); // the usual case, the JDK's fast path
    }
    int kept = Math.min(body.length, cap);
    CharsetDecoder decoder =
        charset
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    CharBuffer text = CharBuffer.allocate((int) Math.ceil(kept * (double) decoder.maxCharsPerByte()));
    boolean whole = kept == body.length;
    // Not at its end, the decoder leaves a character cut by the cap undecoded.
    decoder.decode(ByteBuffer.wrap(body, 0, kept), text, whole);
    if (whole) {
      decoder.flush(text);
    }
    return text.flip().toString();
  }
}
