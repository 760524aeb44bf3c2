package dev.botwebhooks.script;

import dev.botwebhooks.config.Settings;

/**
 * What a hit may still spend on runs, messages and nesting depth, and what one run may keep: the
 * bytes of its messages, keyboards, {@code Api.*} calls and their parameters, rendered page,
 * deferred runs and minted hooks count against one limit, {@code MAX_OUTBOX_BYTES}, checked as
 * each is added. A run continues the counts of the runs before it in the same hit; crossing a
 * limit ends the run naming it (README "Security and limits").
 */
final class RunBudget {
  private final Settings.Limits limits;
  private int runs;
  private int messages;
  private int depth;
  private long keptBytes;

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

  /** Something the run keeps, of {@code bytes} (UTF-8); {@code what} names it in the error. */
  void keep(String what, long bytes) {
    keptBytes += bytes;
    if (keptBytes > limits.maxOutboxBytes()) {
      throw ScriptArgs.abort(
          what + " takes what the run keeps past " + limits.maxOutboxBytes() + " bytes",
          Settings.Env.MAX_OUTBOX_BYTES);
    }
  }

  /** {@link #keep} of a text. */
  void keep(String what, String text) {
    keep(what, utf8Length(text));
  }

  /** {@link #keep} of a JSON value, as the bytes of its compact text. */
  void keep(String what, com.fasterxml.jackson.databind.JsonNode value) {
    if (value != null) {
      keep(what, utf8Length(dev.botwebhooks.json.Json.write(value)));
    }
  }

  static long utf8Length(String text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
    }
    return bytes;
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
