package dev.botwebhooks.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.Ids;
import dev.botwebhooks.core.Minter;
import dev.botwebhooks.core.ScriptRuntime;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.core.Utf16;
import dev.botwebhooks.http.HttpEndpoint;
import dev.botwebhooks.http.HttpRequest;
import dev.botwebhooks.http.HttpResponse;
import dev.botwebhooks.http.UrlEncoded;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.oplog.Failure;
import dev.botwebhooks.oplog.LogLine;
import dev.botwebhooks.oplog.OperatorLog;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET|POST /hooks/{id}}: checks the request, hands it to the hit service, and maps the
 * outcome to status, headers and body in {@link #toResponse}, README "What a hit answers" row by
 * row.
 */
public final class WebhookEndpoint implements HttpEndpoint {
  /** The header that marks a replayed answer (README "Reliability"). */
  static final String REPLAYED = "Idempotent-Replayed";

  /** The request header a browser sends when it fetches a service worker's script. */
  private static final String SERVICE_WORKER = "Service-Worker";

  private final HitService hits;
  private final Settings settings;
  private final OperatorLog log;

  public WebhookEndpoint(
      Store store,
      ScriptRuntime runtime,
      Minter minter,
      IdGenerator ids,
      Clock clock,
      Settings settings) {
    this(new HitService(store, runtime, minter, ids, clock, settings), settings, clock);
  }

  public WebhookEndpoint(HitService hits, Settings settings, Clock clock) {
    this(hits, settings, OperatorLog.toStandardError(OperatorLog.WEBHOOK_FUNCTION, clock));
  }

  /** @param log where the one JSON line per hit goes (README "Operator logs and metrics") */
  public WebhookEndpoint(HitService hits, Settings settings, OperatorLog log) {
    this.hits = hits;
    this.settings = settings;
    this.log = log;
  }

  @Override
  public HttpResponse handle(HttpRequest request) {
    long started = System.nanoTime();
    Optional<String> hookId = hookIdOf(request.path());
    HitReport report;
    try {
      report = route(request, hookId);
    } catch (RuntimeException | Error e) {
      // A bug of ours, never the caller's business: logged here, answered with a fixed body.
      System.err.println("hit failed for request " + request.requestId() + ": " + e);
      report = HitReport.of(new HitOutcome.InternalError(), Optional.empty());
    }
    HttpResponse response = toResponse(report.outcome(), request.requestId());
    logLine(request, hookId, report, response, System.nanoTime() - started);
    return response;
  }

  /**
   * The hook id of a path under {@code /hooks/}, the one place the prefix is checked. Scripts
   * extend Bots.Business URLs (which carry a query) by hand, so {@code /hooks/<id>&k=v} is a hook
   * id followed by parameters.
   */
  private static Optional<String> hookIdOf(String path) {
    if (!path.startsWith(Minter.HOOKS_PATH)) {
      return Optional.empty();
    }
    String rest = path.substring(Minter.HOOKS_PATH.length());
    int amp = rest.indexOf('&');
    return Optional.of(amp < 0 ? rest : rest.substring(0, amp));
  }

  private HitReport route(HttpRequest request, Optional<String> hookId) {
    if (hookId.isEmpty()) {
      return HitReport.of(new HitOutcome.NoRoute(), Optional.empty());
    }
    if (!request.method().equals("GET") && !request.method().equals("POST")) {
      return HitReport.of(new HitOutcome.MethodNotAllowed(), Optional.empty());
    }
    if (request.headers().first(SERVICE_WORKER).isPresent()) {
      return HitReport.of(new HitOutcome.ServiceWorkerRefused(), Optional.empty());
    }
    int maxBody = settings.limits().maxBodyBytes();
    if (request.body().length > maxBody) {
      return HitReport.of(
          new HitOutcome.BodyTooLarge(maxBody), Optional.of(Settings.Env.MAX_BODY_BYTES));
    }
    String rest = request.path().substring(Minter.HOOKS_PATH.length() + hookId.get().length());
    Map<String, List<String>> pathParams =
        rest.isEmpty() ? Map.of() : UrlEncoded.parse(rest.substring(1));
    return hits.hit(request, hookId.get(), pathParams, Optional.empty());
  }

  /** README "What a hit answers", row by row; an outcome without a row does not compile. */
  static HttpResponse toResponse(HitOutcome outcome, String requestId) {
    return switch (outcome) {
      case HitOutcome.Redirect r ->
          new HttpResponse(
              302,
              Map.of("Location", r.location().toASCIIString(), "Cache-Control", "no-store"),
              "");
      case HitOutcome.Rendered page ->
          new HttpResponse(
              200,
              Map.of(
                  "Content-Type", page.mimeType() + "; charset=utf-8",
                  "X-Content-Type-Options", "nosniff",
                  "Cache-Control", "no-store"),
              // As UTF-8 sends it, and a delivery's record keeps it: a repeat is the same bytes.
              Utf16.wellFormed(page.content()));
      case HitOutcome.Answer answer -> {
        ObjectNode body = Json.object();
        body.put("answer", answer.text());
        yield HttpResponse.json(200, body);
      }
      case HitOutcome.CommandFailed failed -> error(503, "command failed", requestId, Map.of());
      case HitOutcome.NotFound notFound -> error(404, "webhook not found", requestId, Map.of());
      case HitOutcome.NoRoute noRoute -> error(404, "not found", requestId, Map.of());
      case HitOutcome.MethodNotAllowed notAllowed ->
          error(
              405,
              "method not allowed: use GET or POST",
              requestId,
              Map.of("Allow", "GET, POST"));
      case HitOutcome.ServiceWorkerRefused refused ->
          error(403, "a hook is not a service worker's script", requestId, Map.of());
      case HitOutcome.BodyTooLarge tooLarge ->
          error(
              413,
              "request body is over the limit of " + tooLarge.maxBytes() + " bytes",
              requestId,
              Map.of());
      case HitOutcome.RateLimited limited ->
          error(
              429,
              "too many requests from this address; retry later",
              requestId,
              retryAfter(limited.retryAfter()));
      case HitOutcome.StoreUnavailable unavailable ->
          error(
              503,
              "service temporarily unavailable; retry later",
              requestId,
              retryAfter(unavailable.retryAfter()));
      case HitOutcome.InternalError internal ->
          error(HttpResponse.INTERNAL_ERROR, "internal error", requestId, Map.of());
      case HitOutcome.Replayed replayed -> {
        Map<String, String> headers = new LinkedHashMap<>(replayed.answer().headers());
        headers.put(REPLAYED, "true");
        String body = replayed.answer().body();
        yield new HttpResponse(replayed.answer().status(), headers, body == null ? "" : body);
      }
      case HitOutcome.DeliveryInProgress busy ->
          error(
              409,
              "this delivery is still being processed; retry later",
              requestId,
              retryAfter(busy.retryAfter()));
      case HitOutcome.OutcomeUnknown unknown ->
          error(
              503,
              "outcome unknown: the store did not confirm the commit in time; retry later"
                  + (unknown.deliveryId().isPresent() ? " with the same delivery id" : ""),
              requestId,
              retryAfter(unknown.retryAfter()));
    };
  }

  private static Map<String, String> retryAfter(Duration after) {
    return Map.of("Retry-After", Long.toString(after.toSeconds()));
  }

  private static HttpResponse error(
      int status, String message, String requestId, Map<String, String> headers) {
    ObjectNode body = Json.object();
    body.put("error", message);
    body.put("request_id", requestId);
    return HttpResponse.json(status, body, headers);
  }

  /** One structured line per request: no secrets, no bodies. */
  private void logLine(
      HttpRequest request,
      Optional<String> hookId,
      HitReport report,
      HttpResponse response,
      long nanos) {
    Map<String, Object> details = new LinkedHashMap<>();
    // Only what can be a hook's id: any other path text is the caller's, of any length.
    details.put("hook_id", hookId.filter(Ids::isHookId).orElse(null));
    details.put("method", request.method());
    details.put("attempts", report.attempts());
    details.put("limit", report.limit().orElse(null));
    if (report.outcome() instanceof HitOutcome.OutcomeUnknown unknown) {
      details.put("outcome", "unknown");
      details.put("delivery_id", unknown.deliveryId().orElse(null));
    }
    if (report.outcome() instanceof HitOutcome.Replayed) {
      details.put("replayed", true);
    }
    log.write(
        new LogLine(
            "hit",
            request.requestId(),
            report.botId(),
            Optional.of(response.status()),
            failureOf(report),
            reasonOf(report),
            nanos / 1_000_000,
            report.storeRequests(),
            details));
  }

  /** README "Operator logs and metrics": the category of a hit that failed. */
  static Optional<Failure> failureOf(HitReport report) {
    return switch (report.outcome()) {
      case HitOutcome.CommandFailed failed ->
          Optional.of(report.limit().isPresent() ? Failure.LIMIT : Failure.COMMAND);
      case HitOutcome.BodyTooLarge tooLarge -> Optional.of(Failure.LIMIT);
      case HitOutcome.RateLimited limited -> Optional.of(Failure.LIMIT);
      case HitOutcome.StoreUnavailable unavailable -> Optional.of(Failure.STORE);
      case HitOutcome.OutcomeUnknown unknown -> Optional.of(Failure.STORE);
      case HitOutcome.InternalError internal -> Optional.of(Failure.INTERNAL);
      default -> Optional.empty();
    };
  }

  private static Optional<String> reasonOf(HitReport report) {
    if (report.outcome() instanceof HitOutcome.CommandFailed failed) {
      return Optional.of(failed.reason());
    }
    if (report.outcome() instanceof HitOutcome.OutcomeUnknown unknown) {
      return Optional.of(
          "outcome unknown" + unknown.deliveryId().map(id -> ", delivery " + id).orElse(""));
    }
    return report.limit();
  }
}
