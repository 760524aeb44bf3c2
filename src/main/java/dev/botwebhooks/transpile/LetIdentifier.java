package dev.botwebhooks.transpile;

import java.util.Optional;

/**
 * Outside strict mode {@code let} is also a plain identifier ({@code let = x = 1} assigns a
 * variable named {@code let}), which Bots.Business runs and neither Rhino nor the Closure Compiler
 * parses (README "Transpiling at upload"). Where the compiler stops at such a {@code let}, it is
 * renamed to {@value #RENAMED}, an identifier the engine accepts.
 */
final class LetIdentifier {
  static final String RENAMED = "$let";

  private LetIdentifier() {}

  /**
   * The body with the {@code let} at a parse error renamed, when the error is at an identifier
   * {@code let} (the token at the error, or the one just before it) that starts no declaration;
   * else empty.
   *
   * @param line the error's line, from 1
   * @param column the error's column in that line, as the compiler counts it
   */
  static Optional<String> renameAt(String body, int line, int column) {
    int lineStart = 0;
    for (int l = 1; l < line; l++) {
      int next = body.indexOf('\n', lineStart);
      if (next < 0) {
        return Optional.empty();
      }
      lineStart = next + 1;
    }
    int at = Math.min(body.length(), lineStart + Math.max(0, column));
    for (int start = Math.max(lineStart, at - 3); start <= at; start++) {
      if (isLetAt(body, start)) {
        return Optional.of(rename(body, start));
      }
    }
    int before = at;
    while (before > 0 && Character.isWhitespace(body.charAt(before - 1))) {
      before--;
    }
    return before >= 3 && isLetAt(body, before - 3)
        ? Optional.of(rename(body, before - 3))
        : Optional.empty();
  }

  /** Whether the word at {@code i} is {@code let} used as an identifier, not a declaration. */
  private static boolean isLetAt(String body, int i) {
    if (!body.startsWith("let", i)
        || (i > 0 && isIdentifierPart(body.charAt(i - 1)))
        || (i + 3 < body.length() && isIdentifierPart(body.charAt(i + 3)))) {
      return false;
    }
    int next = i + 3;
    while (next < body.length() && Character.isWhitespace(body.charAt(next))) {
      next++;
    }
    if (next == body.length()) {
      return true;
    }
    char c = body.charAt(next);
    // let x, let [a] and let {a} declare; let = and let; and let. use a variable.
    return !(Character.isJavaIdentifierStart(c) || c == '[' || c == '{');
  }

  private static boolean isIdentifierPart(char c) {
    return Character.isJavaIdentifierPart(c) || c == '$';
  }

  private static String rename(String body, int i) {
    return body.substring(0, i) + RENAMED + body.substring(i + 3);
  }
}
