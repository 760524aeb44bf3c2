package dev.botwebhooks.script;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.core.Ids;
import dev.botwebhooks.json.Json;
import java.util.Optional;
import org.mozilla.javascript.Callable;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;
import org.mozilla.javascript.Undefined;

/** How the host reads the arguments a script passes: positions, fields, JSON and user ids. */
final class ScriptArgs {
  /** Rendered pages and JSON texts kept by the host are capped at this many characters. */
  static final int MAX_TEXT_CHARS = 1 << 20;

  private static final BoundedText USER_ID = BoundedText.scriptError("user_id", 256);

  private ScriptArgs() {}

  static Object arg(Object[] args, int i) {
    return i < args.length ? args[i] : Undefined.instance;
  }

  static boolean absent(Object value) {
    return value == null || value == Undefined.instance || value == Scriptable.NOT_FOUND;
  }

  /** An object or array the script made (not a function, not a primitive). */
  static boolean isPlainObject(Object value) {
    return value instanceof Scriptable && !(value instanceof Callable);
  }

  /** A property of a script object; missing is {@code undefined}. */
  static Object field(Scriptable obj, String name) {
    Object value = ScriptableObject.getProperty(obj, name);
    return value == Scriptable.NOT_FOUND ? Undefined.instance : value;
  }

  /** The value as JSON, capped; a value that cannot be JSON is a script error. */
  static JsonNode json(Object value) {
    SandboxContextFactory.SandboxContext.checkCurrent();
    try {
      JsonNode node = JsValues.toJson(value, MAX_TEXT_CHARS);
      return node == null ? Json.object().nullNode() : node;
    } catch (JsValues.NotJsonException e) {
      throw ScriptRuntime.typeError(e.getMessage());
    }
  }

  static JsonNode jsonOrEmpty(Object value) {
    return absent(value) ? Json.object() : json(value);
  }

  /** A user id the script passed: a number or a string, as text; absent stays empty. */
  static Optional<String> idOf(Object value) {
    if (absent(value)) {
      return Optional.empty();
    }
    if (value instanceof Number n) {
      double d = n.doubleValue();
      if (d == Math.rint(d) && Math.abs(d) < 9.007199254740992E15) {
        return Optional.of(Long.toString((long) d));
      }
    }
    return Optional.of(USER_ID.read(value));
  }

  /**
   * A user id the script passed to name a user ({@code Bot.run}, properties, hooks): as {@link
   * #idOf}, and refused with a {@code TypeError} when it cannot be one (README "Choices where the
   * contract left room", numeric ids), before anything is kept under it.
   */
  static Optional<String> userIdOf(Object value) {
    Optional<String> id = idOf(value);
    if (id.isPresent() && !Ids.isUserId(id.get())) {
      String shown = id.get().length() > 80 ? id.get().substring(0, 80) + "..." : id.get();
      throw ScriptRuntime.typeError(
          "user_id must be 1-64 characters of [A-Za-z0-9_-], got '" + shown + "'");
    }
    return id;
  }

  /** Ends the run with a limit: no script code can catch it (see {@link RunAbortedError}). */
  static RunAbortedError abort(String message, String limit) {
    return SandboxContextFactory.SandboxContext.abortCurrent(new RunAbortedError(message, limit));
  }
}
