package dev.botwebhooks.transpile;

import dev.botwebhooks.script.SourceChecks;
import java.util.Optional;
import org.mozilla.javascript.CompilerEnvirons;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.ContextFactory;
import org.mozilla.javascript.EcmaError;
import org.mozilla.javascript.EvaluatorException;
import org.mozilla.javascript.IRFactory;
import org.mozilla.javascript.Interpreter;
import org.mozilla.javascript.Parser;
import org.mozilla.javascript.ast.AstRoot;
import org.mozilla.javascript.ast.ScriptNode;

/**
 * Whether the engine runs a body as written, wrapped in a function as the runtime runs it: parsed,
 * walked and compiled to the interpreter's code with the steps a run takes, each of which recurses
 * over the syntax tree (called on {@link Transpiler}'s thread, whose stack is a quarter of a run's,
 * so that a body compiled here compiles in a run too), after the runs' own cap on the tree's depth
 * ({@link SourceChecks#nestedTooDeep}).
 */
final class EngineSyntax {
  record Problem(int line, String reason) {}

  private static final ContextFactory COMPILE_ONLY = new ContextFactory();

  private EngineSyntax() {}

  static Optional<Problem> check(String body) {
    CompilerEnvirons env = new CompilerEnvirons();
    env.setLanguageVersion(Context.VERSION_ES6);
    String source = "(function(){" + body + "\n})";
    AstRoot tree;
    try {
      tree = new Parser(env).parse(source, "body", 1);
    } catch (EvaluatorException e) {
      return Optional.of(new Problem(Math.max(1, e.lineNumber()), e.details()));
    }
    if (SourceChecks.nestedTooDeep(tree)) {
      return Optional.of(new Problem(1, Transpiler.TOO_DEEP));
    }
    // Compiling regular expression literals asks the current context; no script runs in it.
    try (Context cx = COMPILE_ONLY.enterContext()) {
      cx.setLanguageVersion(Context.VERSION_ES6);
      tree.visit(node -> true);
      ScriptNode script =
          new IRFactory(env, "body", source, env.getErrorReporter()).transformTree(tree);
      new Interpreter().compile(env, script, source, false);
      return Optional.empty();
    } catch (EvaluatorException e) {
      return Optional.of(new Problem(Math.max(1, e.lineNumber()), e.details()));
    } catch (EcmaError e) {
      // A regular expression literal the engine refuses: each run fails with its SyntaxError,
      // logged (README "Transpiling at upload"); the upload checks nothing more of this body.
      return Optional.empty();
    } catch (StackOverflowError e) {
      return Optional.of(new Problem(1, Transpiler.TOO_DEEP));
    }
  }
}
