package dev.botwebhooks.script;

import static dev.botwebhooks.script.ScriptArgs.MAX_TEXT_CHARS;
import static dev.botwebhooks.script.ScriptArgs.absent;
import static dev.botwebhooks.script.ScriptArgs.arg;
import static dev.botwebhooks.script.ScriptArgs.field;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.core.RunResult;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;
import org.mozilla.javascript.Undefined;

/**
 * {@code WebApp.render({content, mime_type})} or {@code WebApp.render({template, options,
 * mime_type})}: the hit answers with a page (README "What a hit answers"); {@code WebApp.getUrl({command, options})}: a URL that runs a command.
 */
final class WebAppNamespace {
  static final Set<String> RENDER_TYPES =
      Set.of("text/html", "application/json", "text/plain", "text/css", "text/javascript");

  /** Texts the host keeps for a page or a hook: the content, the MIME type, a redirect. */
  static final BoundedText TEXT = BoundedText.scriptError("text", MAX_TEXT_CHARS);

  private final RunSession run;
  private final LibsNamespace libs;

  WebAppNamespace(RunSession run, LibsNamespace libs) {
    this.run = run;
    this.libs = libs;
  }

  Scriptable create() {
    HostObjects.Namespace webApp =
        new HostObjects.Namespace(
            run.scope(), (s, name) -> HostObjects.unavailable(s, "WebApp." + name));
    webApp.function("render", 1, (c, s, t, a) -> render(arg(a, 0)));
    webApp.function("getUrl", 1, (c, s, t, a) -> getUrl(arg(a, 0)));
    return webApp;
  }

  private Object render(Object spec) {
    SandboxContextFactory.SandboxContext.checkCurrent();
    if (!ScriptArgs.isPlainObject(spec)) {
      throw ScriptRuntime.typeError("WebApp.render needs an object: {content, mime_type}");
    }
    Scriptable obj = (Scriptable) spec;
    Object mime = field(obj, "mime_type");
    String mimeType = absent(mime) ? "text/html" : TEXT.read(mime);
    if (!RENDER_TYPES.contains(mimeType)) {
      throw ScriptRuntime.throwError(
          run.cx(), run.scope(), "WebApp.render: mime_type must be one of " + RENDER_TYPES);
    }
    Object template = field(obj, "template");
    Object content = field(obj, "content");
    String text;
    if (!absent(template)) {
      Object options = field(obj, "options");
      text = WebAppTemplates.render(
          run, TEXT.read(template), absent(options) ? run.cx().newObject(run.scope()) : options);
    } else {
      text = absent(content) ? "" : contentText(content);
    }
    if (text.length() > MAX_TEXT_CHARS) {
      throw ScriptRuntime.rangeError("WebApp.render: content longer than " + MAX_TEXT_CHARS);
    }
    run.budget().keep("WebApp.render", text);
    run.render(new RunResult.Rendered(text, mimeType));
    return Undefined.instance;
  }

  /**
   * {@code WebApp.getUrl({command, options})}: a hook URL that runs the command (for the run's
   * user, if any) and answers what it renders; {@code options} ride along as query parameters, so
   * the command finds them in {@code options.params}.
   */
  private Object getUrl(Object spec) {
    if (!ScriptArgs.isPlainObject(spec)) {
      throw ScriptRuntime.typeError("WebApp.getUrl needs an object: {command, options}");
    }
    Scriptable obj = (Scriptable) spec;
    Scriptable mint = run.cx().newObject(run.scope());
    ScriptableObject.putProperty(mint, "command", field(obj, "command"));
    run.userId().ifPresent(id -> ScriptableObject.putProperty(mint, "user_id", id));
    String url = String.valueOf(libs.mint(mint, true));
    Object options = field(obj, "options");
    if (!ScriptArgs.isPlainObject(options)) {
      return url;
    }
    StringBuilder query = new StringBuilder();
    JsonNode params = ScriptArgs.json(options);
    params.fields().forEachRemaining(
        f -> query.append(query.length() == 0 ? "?" : "&")
            .append(URLEncoder.encode(f.getKey(), StandardCharsets.UTF_8))
            .append('=')
            .append(URLEncoder.encode(
                f.getValue().isTextual() ? f.getValue().textValue() : f.getValue().toString(),
                StandardCharsets.UTF_8)));
    return url + query;
  }

  /** An object or array as compact JSON, anything else as its text. */
  static String contentText(Object content) {
    return ScriptArgs.isPlainObject(content)
        ? JsonText.write(ScriptArgs.json(content), 0)
        : TEXT.read(content);
  }
}
