package dev.botwebhooks.botapi;

import dev.botwebhooks.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Method and path pattern to handler. Patterns are written like {@code
 * /bots/{botId}/commands/{name+}}: a {@code {param}} segment matches any one decoded segment, and a
 * last {@code {param+}} the rest of the path, its decoded segments joined by slashes (a name such as
 * {@code /onWebhook}, sent escaped as {@code %2FonWebhook} or, as an HTTP API hands the path over,
 * decoded: {@code commands//onWebhook}).
 * Matching tells an unknown path (404) from a known path with the wrong method (405 and the
 * methods it allows).
 */
final class RouteTable {
  /** Who may call a route. */
  enum Access {
    /** The deployment's admin key only. */
    ADMIN,
    /** The key of the bot named by {@code {botId}}, or the admin key. */
    BOT
  }

  /** Answers one matched call. */
  @FunctionalInterface
  interface Handler {
    HttpResponse handle(ApiCall call);
  }

  record Route(String method, List<String> pattern, Access access, Handler handler) {
    /** {@code METHOD /path/{param}}, as docs/openapi.yaml and the operator log name it. */
    String key() {
      return method + " /" + String.join("/", pattern).replace("+}", "}");
    }
  }

  /** A route and the values its parameters took. */
  record Match(Route route, Map<String, String> params) {}

  private final List<Route> routes = new ArrayList<>();

  /** Every route as {@code METHOD /path/{param}}, as docs/openapi.yaml names them. */
  List<String> keys() {
    return routes.stream().map(Route::key).toList();
  }

  RouteTable add(String method, String pattern, Access access, Handler handler) {
    List<String> parts = List.of(pattern.substring(1).split("/"));
    routes.add(new Route(method, parts, access, handler));
    return this;
  }


  /**
   * The route for this method and these decoded segments.
   *
   * @throws ApiException 404 when no pattern matches, 405 with {@code Allow} when only the method
   *     is wrong
   */
  Match match(String method, List<String> segments) {
    Set<String> allowed = new LinkedHashSet<>();
    for (Route route : routes) {
      Map<String, String> params = bind(route.pattern(), segments);
      if (params == null) {
        continue;
      }
      if (route.method().equals(method)) {
        return new Match(route, params);
      }
      allowed.add(route.method());
    }
    if (allowed.isEmpty()) {
      throw ApiException.notFound("no such route");
    }
    String allow = String.join(", ", allowed);
    throw new ApiException(
        405,
        "method " + method + " is not allowed here; allowed: " + allow,
        Map.of("Allow", allow));
  }

  private static Map<String, String> bind(List<String> pattern, List<String> segments) {
    int last = pattern.size() - 1;
    boolean rest = pattern.get(last).endsWith("+}");
    if (rest ? segments.size() < pattern.size() : pattern.size() != segments.size()) {
      return null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < pattern.size(); i++) {
      String p = pattern.get(i);
      String s = segments.get(i);
      if (i == last && rest) {
        String joined = String.join("/", segments.subList(i, segments.size()));
        if (joined.isEmpty()) {
          return null;
        }
        params.put(p.substring(1, p.length() - 2), joined);
      } else if (p.startsWith("{")) {
        if (s.isEmpty()) {
          return null;
        }
        params.put(p.substring(1, p.length() - 1), s);
      } else if (!p.equals(s)) {
        return null;
      }
    }
    return params;
  }
}
