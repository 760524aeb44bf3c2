package dev.botwebhooks.lambda;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The API's route table, written once: {@code template.yaml} declares exactly these events (a test
 * compares them) and the local server routes by them, so both answer the same paths.
 */
public final class Routes {
  /** A route as API Gateway writes it: method (or {@code ANY}) and path with parameters. */
  public record Route(String method, String path, FunctionName function) {
    private static final Pattern METHOD = Pattern.compile("ANY|GET|POST|PUT|PATCH|DELETE|HEAD");
    private static final Pattern PATH = Pattern.compile("(/([A-Za-z0-9_-]+|\\{[a-z]+\\+?}))+");

    public Route {
      Objects.requireNonNull(function, "function");
      if (method == null || !METHOD.matcher(method).matches()) {
        throw new IllegalArgumentException("route method must be ANY or an HTTP method: " + method);
      }
      if (path == null || !PATH.matcher(path).matches()) {
        throw new IllegalArgumentException("route path must be /segment/{param}...: " + path);
      }
    }

    /** API Gateway's {@code routeKey}, e.g. {@code GET /hooks/{id}}. */
    public String routeKey() {
      return method + " " + path;
    }

    /** Whether a request path (raw, without stage) matches this route's path. */
    public boolean matchesPath(String requestPath) {
      String[] pattern = path.substring(1).split("/", -1);
      String[] actual =
          requestPath.startsWith("/") ? requestPath.substring(1).split("/", -1) : null;
      if (actual == null) {
        return false;
      }
      for (int i = 0; i < pattern.length; i++) {
        String p = pattern[i];
        if (p.endsWith("+}")) {
          // A greedy parameter takes the rest, at least one non-empty segment.
          String rest =
              String.join("/", List.of(actual).subList(Math.min(i, actual.length), actual.length));
          return !rest.isEmpty();
        }
        if (i >= actual.length) {
          return false;
        }
        if (p.startsWith("{") ? actual[i].isEmpty() : !p.equals(actual[i])) {
          return false;
        }
      }
      return actual.length == pattern.length;
    }

    /** The path parameters as API Gateway fills them, for a path that {@link #matchesPath}. */
    public Map<String, String> pathParameters(String requestPath) {
      String[] pattern = path.substring(1).split("/", -1);
      String[] actual = requestPath.substring(1).split("/", -1);
      Map<String, String> out = new LinkedHashMap<>();
      for (int i = 0; i < pattern.length && i < actual.length; i++) {
        String p = pattern[i];
        if (p.endsWith("+}")) {
          out.put(
              p.substring(1, p.length() - 2),
              String.join("/", List.of(actual).subList(i, actual.length)));
          break;
        }
        if (p.startsWith("{")) {
          out.put(p.substring(1, p.length() - 1), actual[i]);
        }
      }
      return out;
    }
  }

  public static final List<Route> ALL =
      List.of(
          new Route("GET", "/hooks/{id}", FunctionName.WEBHOOK),
          new Route("POST", "/hooks/{id}", FunctionName.WEBHOOK),
          // Catches the other methods so that the endpoint itself answers 405 with Allow.
          new Route("ANY", "/hooks/{id}", FunctionName.WEBHOOK),
          new Route("ANY", "/bots", FunctionName.BOT_API),
          new Route("ANY", "/bots/{proxy+}", FunctionName.BOT_API),
          new Route("GET", "/console", FunctionName.BOT_API),
          new Route("GET", "/console/{file}", FunctionName.BOT_API));

  private Routes() {}

  /**
   * The route API Gateway would select: among those whose path matches, one naming the method beats
   * {@code ANY}.
   */
  public static Optional<Route> match(String method, String path) {
    Route any = null;
    for (Route r : ALL) {
      if (!r.matchesPath(path)) {
        continue;
      }
      if (r.method().equals(method)) {
        return Optional.of(r);
      }
      if (any == null && r.method().equals("ANY")) {
        any = r;
      }
    }
    return Optional.ofNullable(any);
  }
}
