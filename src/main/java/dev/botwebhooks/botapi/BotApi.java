package dev.botwebhooks.botapi;

import static dev.botwebhooks.botapi.RouteTable.Access.ADMIN;
import static dev.botwebhooks.botapi.RouteTable.Access.BOT;

import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.InvalidCursorException;
import dev.botwebhooks.core.InvalidRequestException;
import dev.botwebhooks.core.Minter;
import dev.botwebhooks.core.RequestMeter;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.core.StoreUnavailableException;
import dev.botwebhooks.http.HttpEndpoint;
import dev.botwebhooks.http.HttpRequest;
import dev.botwebhooks.http.HttpResponse;
import dev.botwebhooks.oplog.LogLine;
import dev.botwebhooks.oplog.OperatorLog;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bot-facing API of README "The bot API". The route table below is the whole API; each handler
 * class owns one resource. This class is the boundary: every refusal becomes a JSON 4xx naming the
 * field and the rule, and anything unexpected a fixed 500 whose cause goes only to the log.
 */
public final class BotApi implements HttpEndpoint {
  private static final System.Logger LOG = System.getLogger(BotApi.class.getName());

  private final RouteTable routes = new RouteTable();
  private final Authenticator authenticator;
  private final int maxBodyBytes;
  private final OperatorLog log;

  public BotApi(
      Store store,
      Minter minter,
      IdGenerator ids,
      Clock clock,
      Settings settings,
      HitReplayer replayer) {
    ApiKeys keys = new ApiKeys(store, ids);
    this.authenticator = new Authenticator(store, keys, settings.adminKey());
    this.maxBodyBytes = settings.limits().maxBodyBytes();
    this.log = OperatorLog.toStandardError(OperatorLog.BOT_API_FUNCTION, clock);
    BotRoutes bots = new BotRoutes(store, ids, keys, clock);
    CommandRoutes commands = new CommandRoutes(store);
    LibraryRoutes libs = new LibraryRoutes(store);
    WebhookRoutes hooks = new WebhookRoutes(store, store, minter, settings.publicBaseUrl());
    PropertyRoutes props = new PropertyRoutes(store, settings.limits().maxPropertyBytes());
    UserRoutes users = new UserRoutes(store);
    LogRoutes logs = new LogRoutes(store);
    HitRoutes hits = new HitRoutes(store, replayer);
    AdminPanelRoutes panels = new AdminPanelRoutes(store, settings.limits().maxPropertyBytes());
    GitRoutes git = new GitRoutes(store);
    routes
        .add("POST", "/bots", ADMIN, bots::create)
        .add("GET", "/bots", ADMIN, bots::list)
        .add("DELETE", "/bots/{botId}", ADMIN, bots::delete)
        .add("POST", "/bots/{botId}/api-key", BOT, bots::rotateKey)
        .add("GET", "/bots/{botId}/commands", BOT, commands::list)
        .add("GET", "/bots/{botId}/commands/{name+}", BOT, commands::get)
        .add("PUT", "/bots/{botId}/commands/{name+}", BOT, commands::put)
        .add("DELETE", "/bots/{botId}/commands/{name+}", BOT, commands::delete)
        .add("GET", "/bots/{botId}/libs/{name+}", BOT, libs::get)
        .add("PUT", "/bots/{botId}/libs/{name+}", BOT, libs::put)
        .add("DELETE", "/bots/{botId}/libs/{name+}", BOT, libs::delete)
        .add("GET", "/bots/{botId}/git", BOT, git::get)
        .add("PUT", "/bots/{botId}/git", BOT, git::put)
        .add("DELETE", "/bots/{botId}/git", BOT, git::delete)
        .add("GET", "/bots/{botId}/webhooks", BOT, hooks::list)
        .add("POST", "/bots/{botId}/webhooks", BOT, hooks::mint)
        .add("DELETE", "/bots/{botId}/webhooks/{id}", BOT, hooks::revoke)
        .add("GET", "/bots/{botId}/properties", BOT, props::list)
        .add("GET", "/bots/{botId}/properties/{name+}", BOT, props::get)
        .add("PUT", "/bots/{botId}/properties/{name+}", BOT, props::put)
        .add("DELETE", "/bots/{botId}/properties/{name+}", BOT, props::delete)
        .add("GET", "/bots/{botId}/users/{userId}", BOT, users::get)
        .add("PUT", "/bots/{botId}/users/{userId}", BOT, users::put)
        .add("GET", "/bots/{botId}/users/{userId}/properties", BOT, props::list)
        .add("GET", "/bots/{botId}/users/{userId}/properties/{name+}", BOT, props::get)
        .add("PUT", "/bots/{botId}/users/{userId}/properties/{name+}", BOT, props::put)
        .add("DELETE", "/bots/{botId}/users/{userId}/properties/{name+}", BOT, props::delete)
        .add("GET", "/bots/{botId}/messages", BOT, logs::messages)
        .add("GET", "/bots/{botId}/errors", BOT, logs::errors)
        .add("GET", "/bots/{botId}/hits", BOT, hits::list)
        .add("GET", "/bots/{botId}/hits/{hitId}", BOT, hits::get)
        .add("POST", "/bots/{botId}/hits/{hitId}/replay", BOT, hits::replay)
        .add("GET", "/bots/{botId}/admin-panels/{panel}", BOT, panels::get)
        .add("PUT", "/bots/{botId}/admin-panels/{panel}/values", BOT, panels::putValues);
  }

  /** What a call's log line says beyond its status: known once it is routed and admitted. */
  private static final class CallFacts {
    Optional<String> route = Optional.empty();
    Optional<String> botId = Optional.empty();
  }

  /** The API's routes as {@code METHOD /path/{param}} (docs/openapi.yaml describes each). */
  List<String> routeKeys() {
    return routes.keys();
  }

  /** Answers a call and writes its line (README "Operator logs and metrics"). */
  @Override
  public HttpResponse handle(HttpRequest request) {
    long started = System.nanoTime();
    RequestMeter meter = new RequestMeter();
    CallFacts facts = new CallFacts();
    HttpResponse response = meter.during(() -> answer(request, facts));
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("method", request.method());
    details.put("route", facts.route.orElse(null));
    log.write(
        new LogLine(
            "api",
            request.requestId(),
            facts.botId,
            Optional.of(response.status()),
            LogLine.ofStatus(response.status()),
            Optional.empty(),
            (System.nanoTime() - started) / 1_000_000,
            meter.requests(),
            details));
    return response;
  }

  private HttpResponse answer(HttpRequest request, CallFacts facts) {
    try {
      List<String> segments = PathSegments.decode(request.path());
      RouteTable.Match match = routes.match(request.method(), segments);
      facts.route = Optional.of(match.route().key());
      // Size before the key check and any parsing: an oversize body costs no store read.
      if (request.body().length > maxBodyBytes) {
        throw new ApiException(
            413,
            "body is "
                + request.body().length
                + " bytes; "
                + Settings.Env.MAX_BODY_BYTES
                + " is "
                + maxBodyBytes);
      }
      authenticator.admit(request, match.route().access(), match.params());
      // Only an admitted caller's bot becomes a metric dimension, never an arbitrary path.
      facts.botId = Optional.ofNullable(match.params().get("botId"));
      return match.route().handler().handle(new ApiCall(request, match.params()));
    } catch (ApiException e) {
      return HttpResponse.error(e.status(), e.getMessage(), e.headers());
    } catch (InvalidRequestException e) {
      return HttpResponse.error(400, e.getMessage());
    } catch (InvalidCursorException e) {
      return HttpResponse.error(400, "cursor is not one this API returned");
    } catch (StoreUnavailableException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "request " + request.requestId() + ": store unavailable: " + e.getMessage());
      return HttpResponse.error(
          503, "the store is unavailable; retry shortly", Map.of("Retry-After", "1"));
    } catch (RuntimeException | StackOverflowError e) {
      // A stored value nested deeper than the serializer can walk is still only a 500.
      LOG.log(System.Logger.Level.ERROR, "request " + request.requestId() + " failed", e);
      return HttpResponse.error(HttpResponse.INTERNAL_ERROR, "internal error");
    }
  }
}
