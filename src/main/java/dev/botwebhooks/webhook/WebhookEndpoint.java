package dev.botwebhooks.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.Minter;
import dev.botwebhooks.core.ScriptRuntime;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.core.StoreUnavailableException;
import dev.botwebhooks.http.HttpEndpoint;
import dev.botwebhooks.http.HttpRequest;
import dev.botwebhooks.http.HttpResponse;
import dev.botwebhooks.http.Json;
import dev.botwebhooks.http.UrlEncoded;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code GET|POST /hooks/{id}}: checks the request, hands it to the hit service, and maps the
 * outcome to status, headers and body in {@link #toResponse}, which reads as SPEC §4's table.
 */
public final class WebhookEndpoint implements HttpEndpoint {
  private static final Duration STORE_RETRY_AFTER = Duration.ofSeconds(1);

  private final HitService hits;
  private final Settings settings;
  private final Clock clock;
  private final Consumer<String> log;

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
    this(hits, settings, clock, System.err::println);
  }

  /**
   * @param log where the one JSON line per hit goes; standard error by default (Lambda sends it to
   *     CloudWatch as it does standard output, and locally it keeps invoke.sh's standard output to
   *     the response alone)
   */
  public WebhookEndpoint(HitService hits, Settings settings, Clock clock, Consumer<String> log) {
    this.hits = hits;
    this.settings = settings;
    this.clock = clock;
    this.log = log;
  }

  @Override
  public HttpResponse handle(HttpRequest request) {
    long started = System.nanoTime();
    HitTrace trace = new HitTrace();
    long storeRequestsBefore = hits.storeRequestsByThisThread();
    HttpResponse response;
    try {
      response = route(request, trace);
    } catch (StoreUnavailableException e) {
      System.err.println(
          "store unavailable for request " + request.requestId() + ": " + e.getMessage());
      response = toResponse(new HitOutcome.StoreUnavailable(STORE_RETRY_AFTER), request);
    } catch (RuntimeException | Error e) {
      // A bug of ours, never the caller's business: logged here, answered with a fixed body.
      System.err.println("hit failed for request " + request.requestId() + ": " + e);
      response =
          HttpResponse.json(
              503,
              errorBody("internal error", request),
              Map.of("Retry-After", Long.toString(STORE_RETRY_AFTER.toSeconds())));
    }
    trace.storeRequests = hits.storeRequestsByThisThread() - storeRequestsBefore;
    logLine(request, trace, response, System.nanoTime() - started);
    return response;
  }

  private HttpResponse route(HttpRequest request, HitTrace trace) {
    String path = request.path();
    if (!path.startsWith(Minter.HOOKS_PATH)) {
      return HttpResponse.json(404, errorBody("not found", request));
    }
    if (!request.method().equals("GET") && !request.method().equals("POST")) {
      return HttpResponse.json(
          405,
          errorBody("method not allowed: use GET or POST", request),
          Map.of("Allow", "GET, POST"));
    }
    if (request.body().length > settings.limits().maxBodyBytes()) {
      trace.limit = Settings.Env.MAX_BODY_BYTES;
      return HttpResponse.json(
          413,
          errorBody(
              "request body is over the limit of " + settings.limits().maxBodyBytes() + " bytes",
              request));
    }
    // "/hooks/<id>&k=v": scripts extend Bots.Business URLs (which carry a query) by hand.
    String rest = path.substring(Minter.HOOKS_PATH.length());
    int amp = rest.indexOf('&');
    String hookId = amp < 0 ? rest : rest.substring(0, amp);
    Map<String, List<String>> pathParams =
        amp < 0 ? Map.of() : UrlEncoded.parse(rest.substring(amp + 1));
    trace.hookId = hookId;
    return toResponse(hits.hit(request, hookId, pathParams, trace), request);
  }

  /** SPEC §4, row by row. */
  static HttpResponse toResponse(HitOutcome outcome, HttpRequest request) {
    if (outcome instanceof HitOutcome.Redirect r) {
      return new HttpResponse(
          302,
          Map.of("Location", r.location().toASCIIString(), "Cache-Control", "no-store"),
          "");
    }
    if (outcome instanceof HitOutcome.Rendered page) {
      return new HttpResponse(
          200,
          Map.of(
              "Content-Type", page.mimeType() + "; charset=utf-8",
              "X-Content-Type-Options", "nosniff",
              "Cache-Control", "no-store"),
          page.content());
    }
    if (outcome instanceof HitOutcome.Answer answer) {
      ObjectNode body = Json.object();
      body.put("answer", answer.text());
      return HttpResponse.json(200, body);
    }
    if (outcome instanceof HitOutcome.CommandFailed) {
      return HttpResponse.json(503, errorBody("command failed", request));
    }
    if (outcome instanceof HitOutcome.NotFound) {
      return HttpResponse.json(404, errorBody("webhook not found", request));
    }
    if (outcome instanceof HitOutcome.RateLimited limited) {
      return HttpResponse.json(
          429,
          errorBody("too many requests from this address; retry later", request),
          Map.of("Retry-After", Long.toString(limited.retryAfter().toSeconds())));
    }
    HitOutcome.StoreUnavailable unavailable = (HitOutcome.StoreUnavailable) outcome;
    return HttpResponse.json(
        503,
        errorBody("service temporarily unavailable; retry later", request),
        Map.of("Retry-After", Long.toString(unavailable.retryAfter().toSeconds())));
  }

  private static ObjectNode errorBody(String message, HttpRequest request) {
    ObjectNode body = Json.object();
    body.put("error", message);
    body.put("request_id", request.requestId());
    return body;
  }

  /** One structured line per request: no secrets, no bodies. */
  private void logLine(HttpRequest request, HitTrace trace, HttpResponse response, long nanos) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("time", clock.instant().toString());
    line.put("request_id", request.requestId());
    line.put("hook_id", trace.hookId);
    line.put("bot_id", trace.botId);
    line.put("method", request.method());
    line.put("status", response.status());
    line.put("duration_ms", nanos / 1_000_000);
    line.put("attempts", trace.attempts);
    line.put("dynamodb_requests", trace.storeRequests);
    line.put("limit", trace.limit);
    log.accept(Json.MAPPER.valueToTree(line).toString());
  }
}
