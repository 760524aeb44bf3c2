package dev.botwebhooks.script;

import static dev.botwebhooks.script.Runs.cmd;
import static dev.botwebhooks.script.Runs.code;
import static org.assertj.core.api.Assertions.assertThat;

import dev.botwebhooks.core.RunRequest;
import dev.botwebhooks.core.RunResult;
import org.junit.jupiter.api.Test;

/**
 * Legitimate heavy commands still complete under the cost model (README "Native work and the
 * deadline"): sorting 100,000 numbers (by a comparator and in the default text order),
 * JSON.stringify of a 1 MB structure, parsing a 200 KB body, and the text built-ins on texts of a
 * few hundred kilobytes. The time limit is generous: this is about what the guards refuse, not
 * about speed on a loaded machine (scripts/bench.sh measures).
 */
class HeavyCommandsTest {
  private static final long TIME = 30_000;

  private final RhinoScriptRuntime runtime = new RhinoScriptRuntime(Runs.limits(TIME));

  private RunResult run(String source, String content) {
    RunRequest r = Runs.request(code("heavy", cmd("/x", source)), "/x", TIME);
    RunRequest withContent =
        new RunRequest(
            r.code(), r.botName(), r.message(), content, r.options(), r.user(), r.deadline(), 0, 0);
    return runtime.run(withContent, new MapRunHost());
  }

  @Test
  void sortsOneHundredThousandNumbers() {
    RunResult result =
        run(
            "var a = []; for (var i = 0; i < 100000; i++) a.push((i * 7919) % 100003);"
                + " var texts = a.slice().sort();"
                + " a.sort((x, y) => x - y); var ok = true;"
                + " for (var i = 1; i < a.length; i++) if (a[i - 1] > a[i]) ok = false;"
                + " for (var i = 1; i < texts.length; i++) if ('' + texts[i - 1] > '' + texts[i])"
                + " ok = false;"
                + " Bot.sendMessage(ok + ' ' + a.length + ' ' + texts.length)",
            "");
    assertThat(Runs.texts(result)).as(result.toString()).containsExactly("true 100000 100000");
    assertThat(runtime.abandonedRuns()).isZero();
  }

  @Test
  void stringifiesAOneMegabyteStructure() {
    RunResult result =
        run(
            "var o = []; for (var i = 0; i < 16000; i++) o.push({id: i, name: 'item number ' + i,"
                + " tags: ['a', 'b', 'c'], price: i * 1.5, nested: {ok: true}});"
                + " var t = JSON.stringify(o); var u = JSON.stringify(o, ['id', 'name']);"
                + " Bot.sendMessage((t.length > 1 << 20) + ' ' + JSON.parse(t)[15999].id"
                + " + ' ' + u.slice(0, 28))",
            "");
    assertThat(Runs.texts(result))
        .as(result.toString())
        .containsExactly("true 15999 [{\"id\":0,\"name\":\"item number");
  }

  @Test
  void parsesA200KilobyteBody() {
    StringBuilder body = new StringBuilder("{\"items\":[");
    for (int i = 0; i < 4000; i++) {
      body.append(i == 0 ? "" : ",")
          .append("{\"sku\":\"sku-").append(i).append("\",\"title\":\"Item ").append(i)
          .append("\",\"qty\":2,\"price\":1.25}");
    }
    body.append("]}");
    assertThat(body.length()).isGreaterThan(200_000);
    RunResult result =
        run(
            "var order = JSON.parse(content); var total = 0;"
                + " order.items.forEach(it => total += it.qty * it.price);"
                + " var titles = order.items.map(it => it.title).join('\\n');"
                + " Bot.sendMessage(total + ' ' + titles.indexOf('Item 3999') + ' '"
                + " + titles.toUpperCase().length + ' ' + content.includes('sku-3999') + ' '"
                + " + titles.split('\\n').length + ' ' + titles.normalize().length)",
            body.toString());
    String titles = String.join("\n", java.util.stream.IntStream.range(0, 4000)
        .mapToObj(i -> "Item " + i).toList());
    assertThat(Runs.texts(result))
        .as(result.toString())
        .containsExactly("10000 " + titles.indexOf("Item 3999") + " " + titles.length()
            + " true 4000 " + titles.length());
  }

  @Test
  void caseMappingOfSpecialCharacters_matchesTheJdk() {
    String text = "Straße ΌΣΟΣ İstanbul ΣΑΣ. ﬀ ǅ A\u0301Σ";
    RunResult result =
        run("WebApp.render({content: content.repeat(100).toUpperCase() + '|'"
            + " + content.repeat(100).toLowerCase(), mime_type: 'text/plain'})", text);
    assertThat(result).isInstanceOf(RunResult.Completed.class);
    assertThat(((RunResult.Completed) result).rendered().orElseThrow().content())
        .isEqualTo(
            text.repeat(100).toUpperCase(java.util.Locale.ROOT) + "|"
                + text.repeat(100).toLowerCase(java.util.Locale.ROOT));
  }

  @Test
  void searchesInChunks_findWhatTheJdkFinds() {
    RunResult result =
        run(
            "var t = 'ab'.repeat(1 << 20) + 'needle' + 'ab'.repeat(1000), p = 'ab'.repeat(300);"
                + " Bot.sendMessage([t.indexOf('needle'), t.indexOf(p + 'n'), t.lastIndexOf(p),"
                + " t.lastIndexOf('needle', 5), t.includes('needle' + p), t.indexOf(p, 7),"
                + " t.lastIndexOf('ab'.repeat(2000))].join())",
            "");
    String t = "ab".repeat(1 << 20) + "needle" + "ab".repeat(1000);
    String p = "ab".repeat(300);
    assertThat(Runs.texts(result))
        .as(result.toString())
        .containsExactly(
            t.indexOf("needle") + "," + t.indexOf(p + "n") + "," + t.lastIndexOf(p) + ","
                + t.lastIndexOf("needle", 5) + "," + t.contains("needle" + p) + ","
                + t.indexOf(p, 7) + "," + t.lastIndexOf("ab".repeat(2000)));
  }
}
