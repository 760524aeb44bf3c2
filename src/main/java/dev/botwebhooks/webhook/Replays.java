package dev.botwebhooks.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.HitRecord;
import dev.botwebhooks.core.HttpCall;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.Minter;
import dev.botwebhooks.core.OutboxEntry;
import dev.botwebhooks.core.ScheduledRun;
import dev.botwebhooks.core.ScriptRuntime;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.core.Webhook;
import dev.botwebhooks.http.ContentType;
import dev.botwebhooks.http.Headers;
import dev.botwebhooks.http.HttpRequest;
import dev.botwebhooks.http.HttpResponse;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.oplog.OperatorLog;
import dev.botwebhooks.http.UrlEncoded;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs a logged hit again, against the bot's current commands (README "The request log"). A dry
 * run goes through the hit path on a {@link DryRunStore}, which cannot write to the real store, and
 * answers what would have happened; a committed replay is a real hit, logged as a replay of the
 * original.
 */
public final class Replays {
  private final Store store;
  private final ScriptRuntime runtime;
  private final IdGenerator ids;
  private final Clock clock;
  private final Settings settings;
  private final HitService live;

  public Replays(
      Store store,
      ScriptRuntime runtime,
      IdGenerator ids,
      Clock clock,
      Settings settings,
      HitService live) {
    this.store = store;
    this.runtime = runtime;
    this.ids = ids;
    this.clock = clock;
    this.settings = settings;
    this.live = live;
  }

  /** The replay's report: {@code dry_run}, {@code answer}, and what the run did or would do. */
  public ObjectNode replay(HitRecord hit, boolean commit) {
    HttpRequest request = requestOf(hit);
    JsonNode delivery = hit.detail().path("delivery_id");
    HitService.Replay replay =
        new HitService.Replay(
            hit.id(),
            delivery.isTextual() ? Optional.of(delivery.asText()) : Optional.empty(),
            !delivery.isMissingNode());
    Map<String, List<String>> pathParams = pathParamsOf(request.path());
    ObjectNode report = Json.object();
    report.put("dry_run", !commit);
    report.put("replay_of", hit.id());
    report.put(
        "request_body_truncated", hit.detail().path("request").path("body_truncated").asBoolean());
    if (commit) {
      HitReport real = live.hit(request, hit.hookId(), pathParams, Optional.of(replay));
      report.put("hit_id", real.hitId().orElse(null));
      report.set("answer", answer(WebhookEndpoint.toResponse(real.outcome(), request.requestId())));
      return report;
    }
    DryRunStore dry = new DryRunStore(DryRunStore.Reads.of(store));
    // The live caps, and a queue that only keeps what a commit would have sent.
    List<HttpCall> calls = new ArrayList<>();
    OutboundCalls wouldQueue = new OutboundCalls(live.outbound().egress(), calls::addAll);
    HitService service =
        new HitService(
            dry, runtime, new Minter(dry, ids, clock), ids, clock, settings,
            OperatorLog.toStandardError(OperatorLog.WEBHOOK_FUNCTION, clock), wouldQueue);
    HitReport dryRun = service.hit(request, hit.hookId(), pathParams, Optional.of(replay));
    report.set(
        "answer", answer(WebhookEndpoint.toResponse(dryRun.outcome(), request.requestId())));
    ArrayNode messages = report.putArray("messages");
    dry.outbox().forEach(e -> messages.add(message(e)));
    ArrayNode changes = report.putArray("property_changes");
    dry.changes()
        .values()
        .forEach(
            c ->
                changes.add(
                    EffectShapes.change(c.key(), c.before(), c.after(), Integer.MAX_VALUE)));
    ArrayNode scheduled = report.putArray("scheduled_runs");
    dry.scheduled().forEach(r -> scheduled.add(scheduled(r)));
    ArrayNode http = report.putArray("http_calls");
    Set<String> redacted = HitLogDraft.redactedHeaders(settings.hitLog());
    calls.forEach(c -> http.add(httpCall(c.request(), redacted)));
    ArrayNode minted = report.putArray("minted_webhooks");
    dry.minted().forEach(w -> minted.add(minted(w)));
    report.put("error", dry.errors().isEmpty() ? null : dry.errors().get(0).message());
    return report;
  }

  /**
   * The logged request as the hit path takes it; redacted headers stay redacted. The body is
   * logged as text read in the charset its {@code Content-Type} names, and written back in it.
   */
  private static HttpRequest requestOf(HitRecord hit) {
    JsonNode r = hit.detail().path("request");
    Headers.Builder headers = Headers.builder();
    r.path("headers").properties().forEach(h -> headers.add(h.getKey(), h.getValue().asText()));
    Headers logged = headers.build();
    Charset charset = ContentType.charsetOf(logged.first("content-type").orElse(null));
    String query = r.path("query").asText("");
    return new HttpRequest(
        r.path("method").asText("GET"),
        r.path("path").asText(),
        query,
        UrlEncoded.parse(query),
        logged,
        r.path("body").asText("").getBytes(charset.canEncode() ? charset : StandardCharsets.UTF_8),
        r.path("ip").asText(),
        "replay-" + hit.id(),
        r.path("base_url").asText());
  }

  /** The parameters of a Bots.Business-style {@code /hooks/<id>&k=v} path (as the endpoint). */
  private static Map<String, List<String>> pathParamsOf(String path) {
    int amp = path.indexOf('&');
    return amp < 0 ? Map.of() : UrlEncoded.parse(path.substring(amp + 1));
  }

  private static ObjectNode answer(HttpResponse response) {
    ObjectNode o = Json.object();
    o.put("status", response.status());
    ObjectNode headers = o.putObject("headers");
    response.headers().forEach(headers::put);
    o.put("body", response.body());
    return o;
  }

  private static ObjectNode message(OutboxEntry e) {
    ObjectNode o = Json.object();
    o.put("kind", e.kind().wireName());
    EffectShapes.putUserId(o, e.userId());
    o.put("text", e.text());
    o.set("keyboard", e.keyboard());
    o.put("method", e.method());
    o.set("params", e.params());
    return o;
  }

  private static ObjectNode scheduled(ScheduledRun r) {
    ObjectNode o = Json.object();
    o.put("command", r.message());
    EffectShapes.putUserId(o, r.userId());
    o.put("due_at", r.dueAt().toString());
    o.put("label", r.label().isEmpty() ? null : r.label()); // no label given
    return o;
  }

  /** An outbound call as the script asked for it, headers redacted as the request log does. */
  private static ObjectNode httpCall(HttpCall.Request r, Set<String> redacted) {
    ObjectNode o = Json.object();
    o.put("method", r.method());
    o.put("url", r.url());
    ObjectNode headers = o.putObject("headers");
    r.headers()
        .forEach(
            (name, value) ->
                headers.put(
                    name,
                    redacted.contains(name.toLowerCase(Locale.ROOT))
                        ? HitLogDraft.REDACTED
                        : value));
    o.put("body", r.body());
    o.put("success", r.success());
    o.put("error", r.error());
    if (r.gitImport()) {
      o.put("git_import", true);
    }
    return o;
  }

  private static ObjectNode minted(Webhook w) {
    ObjectNode o = Json.object();
    o.put("command", w.command());
    EffectShapes.putUserId(o, w.userId());
    return o;
  }
}
