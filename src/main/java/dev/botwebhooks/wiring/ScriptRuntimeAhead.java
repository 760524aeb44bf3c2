package dev.botwebhooks.wiring;

import dev.botwebhooks.config.Settings;
import dev.botwebhooks.script.RhinoScriptRuntime;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The hit path's script runtime, built on a thread of its own from the start of a function's init,
 * while the init's own thread builds the store's client and sends its first requests: the engine's
 * set-up then overlaps the client's and the waits on the network (README "Performance"). The
 * deployment takes it at its first use of the runtime, waiting for it if it is not ready.
 */
public final class ScriptRuntimeAhead {
  private final FutureTask<RhinoScriptRuntime> building;

  private ScriptRuntimeAhead(FutureTask<RhinoScriptRuntime> building) {
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
    FutureTask<RhinoScriptRuntime> task = new FutureTask<>(build);
    Thread thread = new Thread(task, "script-runtime-init");
    thread.setDaemon(true);
    thread.start();
    return new ScriptRuntimeAhead(task);
  }

  /** The runtime, once built; what its building threw is thrown here. */
  RhinoScriptRuntime get() {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return building.get();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("building the script runtime failed", e.getCause());
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
