package dev.botwebhooks.console;

import dev.botwebhooks.http.HttpEndpoint;
import dev.botwebhooks.http.HttpRequest;
import dev.botwebhooks.http.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /console} and its assets (README "The web console"): one page, its script and its
 * style sheet, read from the jar once. The page speaks only the bot API of its own origin; the
 * Content-Security-Policy allows nothing else: no inline script or style, no other origin.
 */
public final class ConsoleAssets implements HttpEndpoint {
  public static final String PATH = "/console";

  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
          + "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private record Asset(String contentType, String body) {}

  private final Map<String, Asset> assets = new LinkedHashMap<>();

  public ConsoleAssets() {
    assets.put(PATH, load("index.html", "text/html; charset=utf-8"));
    assets.put(PATH + "/console.js", load("console.js", "text/javascript; charset=utf-8"));
    assets.put(PATH + "/console.css", load("console.css", "text/css; charset=utf-8"));
  }

  /** Whether a request path is the console's. */
  public static boolean serves(String path) {
    return path.equals(PATH) || path.startsWith(PATH + "/");
  }

  @Override
  public HttpResponse handle(HttpRequest request) {
    Asset asset = assets.get(request.path());
    if (asset == null) {
      return HttpResponse.error(404, "no such console file");
    }
    if (!request.method().equals("GET")) {
      return HttpResponse.error(405, "the console is read with GET", Map.of("Allow", "GET"));
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", asset.contentType());
    headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("X-Frame-Options", "DENY");
    // A page of the same origin (a bot's WebApp page) that opens the console, or that the console
    // opens, gets no handle on it: README "The web console".
    headers.put("Cross-Origin-Opener-Policy", "same-origin");
    headers.put("Referrer-Policy", "no-referrer");
    headers.put("Cross-Origin-Resource-Policy", "same-origin");
    headers.put("Cache-Control", "no-cache");
    return new HttpResponse(200, headers, asset.body());
  }

  private static Asset load(String name, String contentType) {
    try (InputStream in = ConsoleAssets.class.getResourceAsStream("/console/" + name)) {
      if (in == null) {
        throw new IllegalStateException("console asset missing from the jar: " + name);
      }
      return new Asset(contentType, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
