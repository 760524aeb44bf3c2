package dev.botwebhooks.script;

import static dev.botwebhooks.script.ScriptArgs.MAX_TEXT_CHARS;
import static dev.botwebhooks.script.ScriptArgs.absent;
import static dev.botwebhooks.script.ScriptArgs.arg;
import static dev.botwebhooks.script.ScriptArgs.field;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.core.HttpCall;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;
import org.mozilla.javascript.Undefined;

/**
 * {@code HTTP.get/post/put/delete/options({url, success, error, headers, body, params, cookies,
 * folow_redirects})}, as Bots.Business documents them: the call is queued and made after the run
 * commits; its {@code success} or {@code error} command runs later as a run of its own (README
 * "Outbound HTTP calls"). Other members ({@code HTTP.patch}, ...) are not available.
 */
final class HttpNamespace {
  private static final String[] METHODS = {"get", "post", "put", "delete", "options"};
  private static final BoundedText TEXT = BoundedText.scriptError("HTTP text", MAX_TEXT_CHARS);
  private static final BoundedText HEADER = BoundedText.scriptError("HTTP header", 8192);

  private final RunSession run;

  HttpNamespace(RunSession run) {
    this.run = run;
  }

  Scriptable create() {
    HostObjects.Namespace http =
        new HostObjects.Namespace(
            run.scope(), (s, name) -> HostObjects.unavailable(s, "HTTP." + name));
    for (String method : METHODS) {
      http.function(method, 1, (c, s, t, a) -> call(method.toUpperCase(Locale.ROOT), arg(a, 0)));
    }
    return http;
  }

  private Object call(String method, Object spec) {
    SandboxContextFactory.SandboxContext.checkCurrent();
    String what = "HTTP." + method.toLowerCase(Locale.ROOT);
    if (!ScriptArgs.isPlainObject(spec)) {
      throw ScriptRuntime.typeError(what + " needs an object: {url, success, error, ...}");
    }
    Scriptable obj = (Scriptable) spec;
    Object url = field(obj, "url");
    if (absent(url)) {
      throw ScriptRuntime.typeError(what + ": url is required");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    boolean namesContentType = headers(obj, headers);
    String body = body(method, obj, contentTypeOf(headers));
    if (body != null && !namesContentType) {
      headers.put("Content-Type", "application/json");
    }
    String target = withQuery(method, absoluteUrl(what, TEXT.read(url)), obj);
    Object cookies = field(obj, "cookies");
    if (!absent(cookies) && !TEXT.read(cookies).isEmpty()) {
      headers.put("Cookie", HEADER.read(cookies));
    }
    HttpCall.Request request =
        new HttpCall.Request(
            method,
            target,
            headers,
            body,
            truthy(field(obj, "folow_redirects")) || truthy(field(obj, "follow_redirects")),
            command(field(obj, "success")),
            command(field(obj, "error")),
            ScriptArgs.json(spec));
    run.host(h -> h.queueHttpCall(request));
    return Undefined.instance;
  }

  /**
   * The script's headers into {@code out}; a header set to {@code null} is left out, which is
   * Bots.Business's way to drop the default {@code Content-Type: application/json} of a body.
   *
   * @return whether the script named {@code Content-Type}, even as null
   */
  private static boolean headers(Scriptable obj, Map<String, String> out) {
    boolean contentType = false;
    Object given = field(obj, "headers");
    if (ScriptArgs.isPlainObject(given)) {
      Scriptable h = (Scriptable) given;
      for (Object id : h.getIds()) {
        String name = String.valueOf(id);
        Object value = ScriptableObject.getProperty(h, name);
        contentType |= name.equalsIgnoreCase("content-type");
        if (value != null && value != Undefined.instance) {
          out.put(name, HEADER.read(value));
        }
      }
    }
    return contentType;
  }

  private static String contentTypeOf(Map<String, String> headers) {
    return headers.entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase("content-type"))
        .map(e -> e.getValue().toLowerCase(Locale.ROOT))
        .findFirst()
        .orElse("");
  }

  /** {@code body} (or {@code params} for methods with a body): objects as JSON or a form. */
  private static String body(String method, Scriptable obj, String contentType) {
    if (method.equals("GET")) {
      return null;
    }
    Object body = field(obj, "body");
    if (absent(body)) {
      body = field(obj, "params");
    }
    if (absent(body)) {
      return null;
    }
    if (!ScriptArgs.isPlainObject(body)) {
      return TEXT.read(body);
    }
    JsonNode json = ScriptArgs.json(body);
    return contentType.startsWith("application/x-www-form-urlencoded")
        ? formOf(json)
        : json.toString();
  }

  /**
   * The URL's syntax is checked here, so that a typo fails the run at its line; where it may go is
   * decided when the call is made.
   */
  private String absoluteUrl(String what, String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getRawAuthority() != null) {
        return url;
      }
    } catch (URISyntaxException e) {
      // answered below
    }
    throw ScriptRuntime.throwError(
        run.cx(), run.scope(), what + ": url must be an absolute http or https URL");
  }

  /** For GET, an object {@code params} (or {@code body}) becomes the query string. */
  private static String withQuery(String method, String url, Scriptable obj) {
    if (!method.equals("GET")) {
      return url;
    }
    Object params = field(obj, "params");
    if (absent(params)) {
      params = field(obj, "body");
    }
    if (!ScriptArgs.isPlainObject(params)) {
      return url;
    }
    String query = formOf(ScriptArgs.json(params));
    if (query.isEmpty()) {
      return url;
    }
    return url + (url.contains("?") ? "&" : "?") + query;
  }

  /** An object's fields as {@code a=1&b=x}; nested values as their JSON text. */
  private static String formOf(JsonNode fields) {
    StringJoiner form = new StringJoiner("&");
    for (Map.Entry<String, JsonNode> e : fields.properties()) {
      JsonNode v = e.getValue();
      form.add(
          URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
              + "="
              + URLEncoder.encode(
                  v.isValueNode() ? v.asText() : v.toString(), StandardCharsets.UTF_8));
    }
    return form.toString();
  }

  private String command(Object value) {
    return absent(value) ? null : run.commandText().read(value);
  }

  private static boolean truthy(Object value) {
    return !absent(value) && ScriptRuntime.toBoolean(value);
  }
}
