package dev.botwebhooks.script;

import java.util.Optional;
import org.mozilla.javascript.ScriptRuntime;

/**
 * Reads a script value as text of at most {@code maxChars} characters, measured before the text
 * is flattened. Past it, the error names what was read and its own bound: a configured limit ends
 * the run with that limit's name in the error log; a fixed bound is a {@code RangeError}.
 *
 * @param what what the text is, for the error ("message", "property type")
 * @param limit the environment variable of the limit, when the bound is configurable
 */
record BoundedText(String what, int maxChars, Optional<String> limit) {

  /** A bound set by a configured limit: crossing it ends the run naming {@code limit}. */
  static BoundedText limit(String what, int maxChars, String limit) {
    return new BoundedText(what, maxChars, Optional.of(limit));
  }

  /** A fixed bound: crossing it throws a {@code RangeError} the script may catch. */
  static BoundedText scriptError(String what, int maxChars) {
    return new BoundedText(what, maxChars, Optional.empty());
  }

  String read(Object value) {
    SandboxContextFactory.SandboxContext.checkCurrent();
    String text = JsValues.boundedText(value, maxChars);
    if (text == null) {
      String message = what + " longer than " + maxChars + " characters";
      if (limit.isPresent()) {
        throw ScriptArgs.abort(message, limit.get());
      }
      throw ScriptRuntime.rangeError(message);
    }
    return text;
  }
}
