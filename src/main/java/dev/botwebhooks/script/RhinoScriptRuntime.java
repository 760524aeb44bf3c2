package dev.botwebhooks.script;

import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.RunHost;
import dev.botwebhooks.core.RunRequest;
import dev.botwebhooks.core.RunResult;
import dev.botwebhooks.core.ScriptRuntime;
import java.util.Optional;

/** Runs commands in a sandboxed Rhino engine. */
public final class RhinoScriptRuntime implements ScriptRuntime {
  public RhinoScriptRuntime(Settings.Limits limits) {}

  @Override
  public RunResult run(RunRequest request, RunHost host) {
    return new RunResult.Failed("not implemented yet", Optional.empty());
  }
}
