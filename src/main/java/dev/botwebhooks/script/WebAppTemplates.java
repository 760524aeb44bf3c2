package dev.botwebhooks.script;

import dev.botwebhooks.core.Command;
import dev.botwebhooks.core.CommandHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mozilla.javascript.Function;
import org.mozilla.javascript.NativeArray;
import org.mozilla.javascript.Script;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.Undefined;

/**
 * {@code WebApp.render({ template, options })} as on Bots.Business (README "The script API"): the
 * template is the bot's command of that name (usually {@code index.html}, {@code styles.css}, which
 * are kept as text at upload; any other command's text renders too), its text after the
 * header, where each {@code <% expression %>} tag is replaced by the expression's value, evaluated
 * in the run's scope with {@code options} being the render's options.
 */
final class WebAppTemplates {
  private static final Pattern TAG = Pattern.compile("<%(.*?)%>", Pattern.DOTALL);

  private WebAppTemplates() {}

  static String render(RunSession run, String name, Object options) {
    Command template =
        run.request()
            .code()
            .command(name)
            .orElseThrow(
                () ->
                    ScriptRuntime.throwError(
                        run.cx(), run.scope(), "WebApp.render: no template named '" + name + "'"));
    String text = CommandHeader.bodyOf(template.source());
    List<String> literals = new ArrayList<>();
    StringBuilder body = new StringBuilder("return function (options) { return [");
    Matcher m = TAG.matcher(text);
    int last = 0;
    while (m.find()) {
      literals.add(text.substring(last, m.start()));
      String expression = m.group(1).isBlank() ? "undefined" : m.group(1);
      body.append(literals.size() == 1 ? "\n(" : ",\n(").append(expression).append("\n)");
      last = m.end();
    }
    if (literals.isEmpty()) {
      return text;
    }
    body.append("]; };");
    Script script = run.compile("template", template.name(), template.version(), body.toString());
    Object outer = script.exec(run.cx(), run.scope(), run.scope());
    Object inner =
        ((Function) outer).call(run.cx(), run.scope(), run.scope(), new Object[0]);
    Object values =
        ((Function) inner)
            .call(run.cx(), run.scope(), run.scope(), new Object[] {options});
    NativeArray array = (NativeArray) values;
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < literals.size(); i++) {
      append(out, literals.get(i));
      Object value = array.get(i, array);
      if (value != null && value != Undefined.instance) {
        append(out, ScriptRuntime.toString(value));
      }
    }
    append(out, text.substring(last));
    return out.toString();
  }

  /**
   * Adds to the page, refused once it would pass the page's limit: the page is bounded as it is
   * built (forty copies of a 16-million-character value took the whole heap before the check
   * after).
   */
  private static void append(StringBuilder page, String piece) {
    if ((long) page.length() + piece.length() > ScriptArgs.MAX_TEXT_CHARS) {
      throw ScriptRuntime.rangeError(
          "WebApp.render: content longer than " + ScriptArgs.MAX_TEXT_CHARS);
    }
    page.append(piece);
  }
}
