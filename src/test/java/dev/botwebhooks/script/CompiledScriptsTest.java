package dev.botwebhooks.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.Function;
import org.mozilla.javascript.RhinoException;
import org.mozilla.javascript.Script;
import org.mozilla.javascript.ScriptableObject;

/**
 * The compiled scripts compile from the parse that their checks look at; what comes out must be
 * what Rhino's own {@code compileString} makes of the same source: the same value, the same
 * function source text, the same errors at the same lines.
 */
class CompiledScriptsTest {
  private final SandboxContextFactory factory = new SandboxContextFactory();

  private static final List<String> BODIES =
      List.of(
          "return 1 + 2",
          "var f = function add(a, b) { return a + b /* sum */ };\nreturn String(f) + f(2, 3)",
          "const g = (x) => `v${x}`;\nreturn g(4) + g.toString()",
          "var o = { get a() { return 5 }, ['b' + 1]: 2 };\nreturn JSON.stringify(o)",
          "function* gen() { yield 1; yield 2 }\nvar s = 0;\nfor (var v of gen()) s += v;\nreturn s",
          "var r = /a(b+)c/g;\nreturn 'xabbcabc'.replace(r, '[$1]')",
          "let [a, , b = 3] = [1, 2];\nreturn a + b",
          "\n\nreturn undefinedName + 1",
          "\nvar x = null;\nreturn x.y",
          "\n\n\nthrow new TypeError('at four')");

  private static final List<String> BROKEN =
      List.of(
          "let = = ;",
          "\n\nvar a = ;",
          "return (1 +",
          "\nif (a) {",
          "var x = <x/>;",
          "class A { m() { return 'm' } }\nreturn new A().m()");

  @Test
  void aBodyRunsAsRhinosOwnCompileOfIt() {
    for (String body : BODIES) {
      assertThat(outcome(body, true)).as(body).isEqualTo(outcome(body, false));
    }
  }

  @Test
  void aBrokenBodyFailsAsRhinosOwnCompileOfIt() {
    for (String body : BROKEN) {
      String ours = outcome(body, true);
      assertThat(ours).as(body).startsWith("threw ").isEqualTo(outcome(body, false));
    }
  }

  @Test
  void aBigIntLiteralIsRefusedBeforeItIsCompiled() {
    CompiledScripts scripts = new CompiledScripts();
    Throwable refused =
        factory.call(
            cx ->
                catchThrowable(
                    () -> scripts.functionBody(cx, "b", "command", "/n", 1, "return 2n ** 3n")));
    assertThat(refused).hasMessageContaining("BigInt is not available in webhook commands");
    assertThat(scripts.compilations()).isZero();
  }

  /**
   * A new version of a body replaces the old one's entry, and the kept source is bounded: a bot
   * that uploaded a 250 KB body again and again kept every version compiled (5.6 MB each) until
   * the heap was full.
   */
  @Test
  void newVersionsReplaceOldOnes_andTheKeptSourceIsBounded() {
    CompiledScripts scripts = new CompiledScripts();
    factory.call(
        cx -> {
          for (long version = 1; version <= 50; version++) {
            scripts.functionBody(cx, "b", "command", "/edit", version, "return " + version);
            scripts.functionBody(cx, "b", "command", "/other", 1, "return 0");
          }
          return null;
        });
    assertThat(scripts.size()).isEqualTo(2);
    assertThat(scripts.compilations()).isEqualTo(51);

    String big = "return '" + "x".repeat(1_100_000) + "'";
    factory.call(
        cx -> {
          for (int name = 0; name < 5; name++) {
            scripts.functionBody(cx, "b", "command", "/big" + name, 1, big);
          }
          return null;
        });
    assertThat(scripts.size()).isLessThanOrEqualTo(3);
  }

  /**
   * What running the body's function gives (its value, or the error and the line it names), from
   * the compiled scripts or from {@code Context.compileString}.
   */
  private String outcome(String body, boolean compiledScripts) {
    return factory.call(
        cx -> {
          ScriptableObject scope = cx.initStandardObjects();
          try {
            Script script =
                compiledScripts
                    ? new CompiledScripts().functionBody(cx, "b", "command", "/c", 1, body)
                    : cx.compileString("(function(){" + body + "\n})", "command /c", 1, null);
            Function function = (Function) script.exec(cx, scope, scope);
            Object value = function.call(cx, scope, scope, new Object[0]);
            return "value " + Context.toString(value);
          } catch (RhinoException e) {
            return "threw " + e.getClass().getSimpleName() + " " + e.details() + " at "
                + e.sourceName() + ":" + e.lineNumber() + " " + e.lineSource();
          }
        });
  }
}
