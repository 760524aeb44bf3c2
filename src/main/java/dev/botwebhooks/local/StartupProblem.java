package dev.botwebhooks.local;

import dev.botwebhooks.core.StoreUnavailableException;

/**
 * One line for why the local server or {@code Invoke} could not start (a bad setting, an
 * unreachable {@code DYNAMODB_ENDPOINT}), instead of a stack trace; README "Running locally".
 */
final class StartupProblem {
  private StartupProblem() {}

  /** Whether the problem is a setting the user gave (exit 2) rather than the world (exit 1). */
  static boolean isSetting(Throwable e) {
    return root(e) instanceof IllegalArgumentException;
  }

  static String describe(Throwable e) {
    Throwable root = root(e);
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    message = message.lines().findFirst().orElse("").strip();
    if (root instanceof IllegalArgumentException) {
      return "bad setting: " + message;
    }
    if (hasStoreCause(e)) {
      return "the store is unreachable (check DYNAMODB_ENDPOINT and that it is running): " + message;
    }
    return "could not start: " + message;
  }

  private static boolean hasStoreCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StoreUnavailableException) {
        return true;
      }
    }
    return false;
  }

  /** The innermost cause: startup wraps what failed (a handler's constructor, an SDK call). */
  private static Throwable root(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      if (t instanceof IllegalArgumentException || t instanceof StoreUnavailableException) {
        return t;
      }
      t = t.getCause();
    }
    return t;
  }
}
