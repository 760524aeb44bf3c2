package dev.botwebhooks.core;

/**
 * Runs a bot's command chain ({@code @}, the command, {@code @@}, and the commands it runs with
 * {@code Bot.runCommand}) in a sandbox. Implementations never throw: every failure of the script,
 * of a limit or of the sandbox itself comes back as {@link RunResult.Failed}.
 */
public interface ScriptRuntime {
  RunResult run(RunRequest request, RunHost host);
}
