package dev.botwebhooks.transpile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botwebhooks.core.Transpiled;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TranspilerTest {
  @Test
  void aBodyTheEngineParsesRunsAsWritten() {
    assertThat(Transpiler.prepare("let a = [1, ...[2]];\nif (!a) return;\nBot.sendMessage(`${a}`)"))
        .isEmpty();
  }

  @Test
  void classesRestAndSpreadAreTranspiledWithTheHelpersTheyCall() {
    String body =
        String.join(
            "\n",
            "/*CMD",
            "  command: @",
            "CMD*/",
            "class A { constructor(x) { this.x = x } get twice() { return this.x * 2 } }",
            "class B extends A { constructor() { super(3) } }",
            "const { a, ...rest } = { a: 1, b: 2 };",
            "function max(...xs) { return Math.max(...xs) }",
            "if (!a) return;",
            "missing();");
    Optional<Transpiled> t = Transpiler.prepare(body);
    assertThat(t).isPresent();
    String code = t.get().code();
    assertThat(code).doesNotContain("class ").contains("$jscomp.inherits = function");
    assertThat(code).contains("$jscomp.getRestArguments = function");
    assertThat(EngineSyntax.check(code)).isEmpty();
    int missingLine = code.substring(0, code.indexOf("missing()")).split("\n", -1).length;
    assertThat(t.get().sourceLine(missingLine)).isEqualTo(9);
  }

  @Test
  void classFieldsAsInRealExportsAreAccepted() {
    assertThat(Transpiler.prepare("class G {\n  private\n  slip() { return 1 }\n}\nnew G().slip()"))
        .isPresent();
  }

  @Test
  void aSyntaxErrorNamesTheLineAndColumnInTheFile() {
    assertThatThrownBy(() -> Transpiler.prepare("var ok = 1;\nclass A {}\nvar b = ;\n"))
        .isInstanceOf(Transpiler.SyntaxProblem.class)
        .hasMessageStartingWith("syntax error at line 3, column 9:");
    assertThatThrownBy(() -> Transpiler.prepare("var x = ;"))
        .hasMessageStartingWith("syntax error at line 1, column 9:");
  }

  @Test
  void anErrorAtTheEndOfInput_isPlacedAfterTheFilesLastCharacter() {
    assertThatThrownBy(() -> Transpiler.prepare("Bot.sendMessage('x'"))
        .hasMessageStartingWith("syntax error at line 1, column 20:");
    assertThatThrownBy(() -> Transpiler.prepare("if (a) {\n  b();\n"))
        .hasMessageStartingWith("syntax error at line 3, column 1:");
  }

  /**
   * An expression of tens of thousands of terms overflows the compiler's stack: a syntax problem
   * that says so, not an internal error, whatever stack the caller has.
   */
  @Test
  void aBodyNestedTooDeeplyForTheCompiler_isASyntaxProblem() throws InterruptedException {
    String body = "class A {}\nvar x = 1" + "+1".repeat(50_000) + ";\nBot.sendMessage(x)";
    assertThat(preparedOnStack(1 << 20, body))
        .isInstanceOf(Transpiler.SyntaxProblem.class)
        .hasFieldOrPropertyWithValue(
            "message", "syntax error at line 1, column 1: " + Transpiler.TOO_DEEP);
    // The compiler works as before afterwards.
    assertThat(Transpiler.prepare("class B {}\nBot.sendMessage(new B())")).isPresent();
  }

  /**
   * A body the engine parses but a run's compile cannot take (it recurses once per term) is
   * refused like one the compiler cannot take, whatever stack the caller has; a regular
   * expression literal the engine cannot compile is left to fail its runs, as it did.
   */
  @Test
  void aPlainBodyNestedTooDeeplyForARun_isASyntaxProblem_onAnyCallersStack() throws Exception {
    String chain = "var a = 1;\nfunction f() { return a }\nvar x = a";
    assertThat(preparedOnStack(256 << 10, chain + "+a".repeat(500) + ";"))
        .isEqualTo(Optional.empty());
    assertThat(preparedOnStack(256 << 10, chain + "+a".repeat(20_000) + ";"))
        .isInstanceOf(Transpiler.SyntaxProblem.class)
        .hasFieldOrPropertyWithValue(
            "message", "syntax error at line 1, column 1: " + Transpiler.TOO_DEEP);
    assertThat(Transpiler.prepare("var r = /a(/;\nBot.sendMessage('x')")).isEmpty();
  }

  /** What {@code prepare} returned or threw, called on a thread with the given stack. */
  private static Object preparedOnStack(int stackBytes, String body) throws InterruptedException {
    Object[] outcome = {null};
    Thread caller =
        new Thread(
            null,
            () -> {
              try {
                outcome[0] = Transpiler.prepare(body);
              } catch (Throwable t) {
                outcome[0] = t;
              }
            },
            "caller",
            stackBytes);
    caller.start();
    caller.join();
    return outcome[0];
  }

  @Test
  void whatTheCompilerDoesNotSupportIsRefusedWithItsPlace() {
    assertThatThrownBy(() -> Transpiler.prepare("class A {\n  #p = 1;\n}"))
        .isInstanceOf(Transpiler.SyntaxProblem.class)
        .hasMessageContaining("line 2");
  }

  @Test
  void letAsAVariableNameOutsideStrictModeRunsAsAVariable() {
    // As in a public export: "let = cmds = ..." assigns a variable named let, and cmds.
    Optional<Transpiled> t =
        Transpiler.prepare("let = cmds = 1;\nvar x = let + 1;\nf(let);\nlet\n= 2;\nlet y = [let];");
    assertThat(t).isPresent();
    assertThat(t.get().code()).contains("$let = cmds = 1").contains("f($let)")
        .contains("[$let]");
    assertThat(t.get().code().replace("$let", "")).doesNotContain("let");
    assertThat(EngineSyntax.check(t.get().code())).isEmpty();
    String code = t.get().code();
    int yLine = code.substring(0, code.indexOf("var y")).split("\n", -1).length;
    assertThat(t.get().sourceLine(yLine)).isEqualTo(6);
  }

  @Test
  void aLetDeclarationThatDoesNotParseIsStillAnError() {
    assertThatThrownBy(() -> Transpiler.prepare("let = 1;\nlet 5 = 2;"))
        .isInstanceOf(Transpiler.SyntaxProblem.class)
        .hasMessageStartingWith("syntax error at line 2,");
  }
}
