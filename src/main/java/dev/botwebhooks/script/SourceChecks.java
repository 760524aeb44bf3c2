package dev.botwebhooks.script;

import java.util.IdentityHashMap;
import java.util.Map;
import org.mozilla.javascript.CompilerEnvirons;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.EcmaError;
import org.mozilla.javascript.Parser;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.ast.AstNode;
import org.mozilla.javascript.ast.AstRoot;
import org.mozilla.javascript.ast.BigIntLiteral;

/**
 * Checks of a parsed body before it is compiled (commands, libraries, {@code eval}, {@code
 * Function}):
 *
 * <ul>
 *   <li>no BigInt literals: a single BigInt operation ({@code 3n ** 30000000n}, a product of two
 *       huge values) runs for seconds inside {@link java.math.BigInteger} without an instruction
 *       check; with the {@code BigInt} global removed, literals are the only way to make one, so
 *       refusing them at compile time closes that route. Webhook commands have no use for them.
 *   <li>a syntax tree at most {@link #MAX_TREE_DEPTH} deep: Rhino parses a chain of operators
 *       ({@code 1,1,1,...}, {@code a.a.a...}, {@code f(1)(1)...}) in a loop, but turns the tree
 *       into code by recursion, one level per link, so a chain of 10,000 links overflowed the
 *       run's Java stack, at a depth the script chose (README "Security and limits").
 * </ul>
 */
public final class SourceChecks {
  /**
   * The deepest syntax tree compiled. Compiling took 700 to 800 bytes of Java stack a level
   * (chains of 10,000 links overflowed the run's 8 MiB stack, 5,000 did not), so this keeps a
   * compile within about 3 MiB, beside the 2 MiB a run's script frames may take; far deeper than
   * code people write. The upload's check, on a quarter of a run's stack, refuses a body long
   * before this depth, so a body it takes compiles in every run.
   */
  public static final int MAX_TREE_DEPTH = 4000;

  private SourceChecks() {}

  /**
   * Parses source a script passes ({@code eval}, {@code Function}) and checks it; a text that does
   * not parse is left for the real compile to report.
   */
  static void check(Context cx, String source, String sourceName) {
    // Every level of a tree takes a character or more, and a BigInt literal ends in n: a short
    // text without one needs no parse of its own (eval("json." + key) is compiled right after).
    if (source.indexOf('n') < 0 && source.length() <= MAX_TREE_DEPTH / 2) {
      return;
    }
    CompilerEnvirons env = new CompilerEnvirons();
    env.initFromContext(cx);
    AstRoot root;
    try {
      root = new Parser(env).parse(source, sourceName, 1);
    } catch (RuntimeException e) {
      return;
    }
    check(root, sourceName);
  }

  /** Throws a script SyntaxError if the parsed source has a BigInt literal or is too deep. */
  static void check(AstRoot root, String sourceName) {
    if (walk(root, true)) {
      throw ScriptRuntime.constructError(
          "SyntaxError", "BigInt is not available in webhook commands (" + sourceName + ")");
    }
  }

  /**
   * Whether a parsed body is nested more than {@link #MAX_TREE_DEPTH} deep (the upload's check
   * asks this too, so that it refuses what runs would).
   */
  public static boolean nestedTooDeep(AstRoot root) {
    try {
      walk(root, false);
      return false;
    } catch (EcmaError e) {
      return true;
    }
  }

  /**
   * Walks the tree, throwing a SyntaxError at the first node deeper than the cap, which keeps the
   * walk's own recursion (one call a level) within it.
   *
   * @return whether a BigInt literal was met, when asked to look for one (the walk then stops)
   */
  private static boolean walk(AstRoot root, boolean bigInts) {
    Map<AstNode, Integer> depths = new IdentityHashMap<>();
    depths.put(root, 0);
    boolean[] bigInt = {false};
    root.visitAll(
        node -> {
          if (bigInts && node instanceof BigIntLiteral) {
            bigInt[0] = true;
          }
          if (depthOf(node, depths) > MAX_TREE_DEPTH) {
            throw ScriptRuntime.constructError(
                "SyntaxError",
                "code nested more than " + MAX_TREE_DEPTH + " deep (a chain of that many"
                    + " operators, calls or property reads, or blocks within blocks) is too"
                    + " deep for a webhook command");
          }
          return !bigInt[0];
        });
    return bigInt[0];
  }

  /**
   * A node's depth in the tree: its parent's plus one. The walk is in pre-order, so the parent's
   * depth is known unless the parser left a link out; then the chain of parents is counted.
   */
  private static int depthOf(AstNode node, Map<AstNode, Integer> depths) {
    Integer known = depths.get(node);
    if (known != null) {
      return known;
    }
    AstNode parent = node.getParent();
    int depth;
    if (parent == null) {
      depth = 0;
    } else {
      Integer parentDepth = depths.get(parent);
      depth = parentDepth != null ? parentDepth + 1 : countParents(node);
    }
    depths.put(node, depth);
    return depth;
  }

  private static int countParents(AstNode node) {
    int depth = 0;
    for (AstNode p = node.getParent(); p != null && depth <= MAX_TREE_DEPTH; p = p.getParent()) {
      depth++;
    }
    return depth;
  }
}
