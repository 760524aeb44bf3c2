package dev.botwebhooks.script;

import org.mozilla.javascript.CompilerEnvirons;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.Parser;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.ast.AstRoot;
import org.mozilla.javascript.ast.BigIntLiteral;

/**
 * Refuses source with BigInt literals. A single BigInt operation ({@code 3n ** 30000000n}, a
 * product of two huge values) runs for seconds inside {@link java.math.BigInteger} without an
 * instruction check; with the {@code BigInt} global removed, literals are the only way to make
 * one, so refusing them at compile time closes that route. Webhook commands have no use for them.
 */
final class BigIntCheck {
  private BigIntCheck() {}

  /** Throws a SyntaxError-like script error if the source has a BigInt literal. */
  static void refuseBigInts(Context cx, String source, String sourceName) {
    if (source.indexOf('n') < 0) {
      return;
    }
    CompilerEnvirons env = new CompilerEnvirons();
    env.initFromContext(cx);
    AstRoot root;
    try {
      root = new Parser(env).parse(source, sourceName, 1);
    } catch (RuntimeException e) {
      // Let the real compile report the syntax error.
      return;
    }
    refuseBigInts(root, sourceName);
  }

  /** Throws a SyntaxError-like script error if the parsed source has a BigInt literal. */
  static void refuseBigInts(AstRoot root, String sourceName) {
    boolean[] found = {false};
    root.visitAll(
        node -> {
          if (node instanceof BigIntLiteral) {
            found[0] = true;
          }
          return !found[0];
        });
    if (found[0]) {
      throw ScriptRuntime.constructError(
          "SyntaxError", "BigInt is not available in webhook commands (" + sourceName + ")");
    }
  }
}
