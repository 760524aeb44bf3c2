package dev.botwebhooks.transpile;

import java.util.Optional;
import org.mozilla.javascript.CompilerEnvirons;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.EvaluatorException;
import org.mozilla.javascript.Parser;

/** Whether the engine parses a body as written, wrapped in a function as the runtime runs it. */
final class EngineSyntax {
  record Problem(int line, String reason) {}

  private EngineSyntax() {}

  static Optional<Problem> check(String body) {
    CompilerEnvirons env = new CompilerEnvirons();
    env.setLanguageVersion(Context.VERSION_ES6);
    try {
      new Parser(env).parse("(function(){" + body + "\n})", "body", 1);
      return Optional.empty();
    } catch (EvaluatorException e) {
      return Optional.of(new Problem(Math.max(1, e.lineNumber()), e.details()));
    }
  }
}
