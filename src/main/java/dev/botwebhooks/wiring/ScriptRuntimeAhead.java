package dev.botwebhooks.wiring;

import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.BackgroundTask;
import dev.botwebhooks.script.RhinoScriptRuntime;
import java.time.Clock;
import java.util.concurrent.Callable;

/**
 * The hit path's script runtime, built on a thread of its own from the start of a function's init,
 * while the init's own thread builds the store's client and sends its first requests: the engine's
 * set-up then overlaps the client's and the waits on the network (README "Performance"). The
 * deployment takes it at its first use of the runtime, waiting for it if it is not ready.
 */
public final class ScriptRuntimeAhead {
  private final BackgroundTask<RhinoScriptRuntime> building;

  private ScriptRuntimeAhead(BackgroundTask<RhinoScriptRuntime> building) {
    this.building = building;
  }

  /**
   * Starts building a runtime with the settings' limits on the system clock, the clock of the
   * deployments built from the environment (runs' deadlines and the runtime use the same one).
   */
  public static ScriptRuntimeAhead start(Settings settings) {
    return start(() -> new RhinoScriptRuntime(settings.limits(), Clock.systemUTC()));
  }

  static ScriptRuntimeAhead start(Callable<RhinoScriptRuntime> build) {
    return new ScriptRuntimeAhead(BackgroundTask.start("script-runtime-init", build));
  }

  /** The runtime, once built; what its building threw is thrown here. */
  RhinoScriptRuntime get() {
    return building.join();
  }
}
