package dev.botwebhooks.webhook;

import dev.botwebhooks.core.RunResult;
import dev.botwebhooks.oplog.Failure;

/** How a failed run reads in the operator log (README "Operator logs and metrics"). */
final class RunFailures {
  private RunFailures() {}

  /** A failed run's category: a crossed limit, or the command's own error. */
  static Failure failureOf(RunResult.Failed failed) {
    return failed.limit().isPresent() ? Failure.LIMIT : Failure.COMMAND;
  }

  /**
   * What a failed run's log line says of it: the limit crossed, or the kind of error (the message's
   * head, e.g. {@code TypeError}), never the message itself, which may quote what a script held.
   */
  static String reasonOf(RunResult.Failed failed) {
    if (failed.limit().isPresent()) {
      return failed.limit().get();
    }
    String message = failed.message();
    int colon = message.indexOf(':');
    String head = colon < 0 ? "" : message.substring(0, colon);
    return head.matches("[A-Za-z][A-Za-z ]{0,39}") ? head : "command error";
  }
}
