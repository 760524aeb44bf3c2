package dev.botwebhooks.script;

import static dev.botwebhooks.script.Runs.cmd;
import static dev.botwebhooks.script.Runs.code;
import static dev.botwebhooks.script.Runs.request;
import static dev.botwebhooks.script.Runs.texts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.botwebhooks.core.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run's memory limits on the deployed function's heap (1 GiB: this class runs in JVMs of that
 * size, one with the collector the JVM picks and one with the serial collector, see pom.xml),
 * where 60% of the heap is within reach of one run.
 */
@Timeout(60)
class DeployedHeapMemoryTest {
  private static final long TIME = 10_000;

  private final RhinoScriptRuntime runtime = new RhinoScriptRuntime(Runs.limits(TIME));

  private RunResult run(String source) {
    RunResult result = runtime.run(request(code("b1", cmd("/c", source)), "/c", TIME), new MapRunHost());
    assertThat(runtime.abandonedRuns()).as("runs abandoned by the watchdog").isZero();
    return result;
  }

  @Test
  void theHeapIsTheDeployedOne() {
    assertThat(Runtime.getRuntime().maxMemory()).isLessThanOrEqualTo(1L << 30);
  }

  /**
   * A run that keeps what it allocates ends once it kept 128 MiB, long before the heap is 60%
   * full (where each collection copied hundreds of megabytes, for a quarter second and more).
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "var a = []; for (;;) a.push(new Array(1000).fill('x'))",
        "var o = {}; for (var i = 0; ; i++) o['k' + i] = [i, 'v' + i]",
        "var a = []; for (;;) { try { a.push('x'.repeat(1 << 20) + a.length) } catch (e) {} }"
      })
  void aRunThatKeepsWhatItAllocates_endsAt128MiB(String source) {
    RunResult r = run(source);
    assertThat(r).isInstanceOf(RunResult.Failed.class);
    RunResult.Failed failed = (RunResult.Failed) r;
    assertThat(failed.message()).isEqualTo("memory limit exceeded: kept more than 128 MiB");
    assertThat(failed.limit()).contains(RhinoScriptRuntime.MEMORY_LIMIT);
  }

  /**
   * What a run drops is not held against it, however large each piece: texts of a megabyte or
   * more, which some collectors place straight into the space they keep survivors in, and
   * arrays of 100,000 slots, which G1 counts as survivors until a concurrent cycle (without the
   * collection that confirms a run kept what it seems to, that run was ended).
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "for (var i = 0; i < 600; i++) { var s = 'x'.repeat(1 << 20) + i; s.indexOf('y') }",
        "for (var i = 0; i < 40; i++) { var s = 'x'.repeat(1 << 23) + i }",
        "for (var i = 0; i < 150; i++) { var a = new Array(100000).fill(i) }",
        "var keep = []; for (var i = 0; i < 200000; i++) keep.push({a: i, b: 'k' + i});"
            + " for (var i = 0; i < 1000000; i++) { var o = {a: [i], b: 'k' + i} }"
      })
  void aRunThatDropsWhatItAllocates_goesOn(String source) {
    RunResult r = run(source + "; Bot.sendMessage('done')");
    assertThat(texts(r)).as("%s", r).containsExactly("done");
  }
}
