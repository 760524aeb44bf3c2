package dev.botwebhooks.script;

import static dev.botwebhooks.script.Runs.cmd;
import static dev.botwebhooks.script.Runs.code;
import static dev.botwebhooks.script.Runs.request;
import static dev.botwebhooks.script.Runs.texts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.botwebhooks.core.RunResult;
import org.junit.jupiter.api.Test;
import org.mozilla.javascript.ConsString;

/**
 * The project's copy of Rhino's ConsString (with a maximum string length) must be the class that is
 * loaded, not the one in the Rhino jar: a Rhino upgrade or a class path change would otherwise
 * silently bring back strings that take seconds to read.
 */
class ConsStringGuardTest {
  private final RhinoScriptRuntime runtime = new RhinoScriptRuntime(Runs.limits(2_000));

  @Test
  void consString_isTheProjectsCopy() {
    String location =
        ConsString.class.getProtectionDomain().getCodeSource().getLocation().toString();

    assertThat(location).doesNotContain("rhino");
    assertThat(ConsString.MAX_LENGTH).isEqualTo(1 << 25);
  }

  @Test
  void doubling_pastTheMaximumLength_isACatchableRangeError() {
    RunResult r =
        runtime.run(
            request(
                code(
                    "b",
                    cmd(
                        "/x",
                        "var s = 'x', i = 0; try { for (; i < 40; i++) s += s }"
                            + " catch (e) { Bot.sendMessage(e.name + ' ' + i + ' ' + s.length) }")),
                "/x",
                2_000),
            new MapRunHost());

    assertThat(texts(r)).containsExactly("RangeError 25 33554432");
  }

  @Test
  void concatenation_upToTheMaximum_works() {
    RunResult r =
        runtime.run(
            request(
                code(
                    "b",
                    cmd(
                        "/x",
                        "var s = 'ab'; for (var i = 0; i < 20; i++) s += s;"
                            + " Bot.sendMessage(s.length + s.charAt(12345))")),
                "/x",
                2_000),
            new MapRunHost());

    assertThat(texts(r)).containsExactly("2097152b");
  }
}
