package dev.botwebhooks.script;

import dev.botwebhooks.config.Settings;

/**
 * What a hit may still spend on runs, messages and nesting depth. A run continues the counts of
 * the runs before it in the same hit; crossing a limit ends the run naming it (README "Security
 * and limits").
 */
final class RunBudget {
  private final Settings.Limits limits;
  private int runs;
  private int messages;
  private int depth;

  RunBudget(Settings.Limits limits, int runsBefore, int messagesBefore) {
    this.limits = limits;
    this.runs = runsBefore;
    this.messages = messagesBefore;
  }

  /** A run starts: this one, a {@code Bot.runCommand} or a {@code Bot.run}. */
  void countRun() {
    if (runs + 1 > limits.maxRuns()) {
      throw ScriptArgs.abort(
          "more than " + limits.maxRuns() + " runs in one hit", Settings.Env.MAX_RUNS);
    }
    runs++;
  }

  /** A message or a recorded API call. */
  void countMessage() {
    if (messages + 1 > limits.maxMessages()) {
      throw ScriptArgs.abort(
          "more than " + limits.maxMessages() + " messages in one hit", Settings.Env.MAX_MESSAGES);
    }
    messages++;
  }

  /** Fails when one more nested {@code Bot.runCommand} would pass the depth limit. */
  void checkDepth() {
    if (depth + 1 > limits.maxRunDepth()) {
      throw ScriptArgs.abort(
          "Bot.runCommand nested deeper than " + limits.maxRunDepth(), Settings.Env.MAX_RUN_DEPTH);
    }
  }

  void enterNested() {
    depth++;
  }

  void leaveNested() {
    depth--;
  }

  int runs() {
    return runs;
  }

  int messages() {
    return messages;
  }
}
