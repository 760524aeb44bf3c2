package dev.botwebhooks.script;

import java.util.Optional;

/**
 * Ends a run so that no script code can observe it. It is a {@link java.lang.Error} on purpose:
 * Rhino's interpreter runs neither {@code catch} nor {@code finally} blocks for an {@code Error}
 * (unless enhanced Java access is enabled, which the sandbox never does), and the sandbox context
 * re-throws it at every later instruction check, so a script cannot swallow it.
 */
final class RunAbortedError extends Error {
  private static final long serialVersionUID = 1L;

  private final String limit;
  private final boolean storeFailure;

  RunAbortedError(String message, String limit) {
    this(message, limit, false);
  }

  private RunAbortedError(String message, String limit, boolean storeFailure) {
    super(message, null, false, false);
    this.limit = limit;
    this.storeFailure = storeFailure;
  }

  /** The store failed under a host call: the run cannot go on, and the hit answers 503. */
  static RunAbortedError storeUnavailable(String message) {
    return new RunAbortedError(message, null, true);
  }

  /** Whether the store failing ended the run (rather than a limit or the deadline). */
  boolean storeFailure() {
    return storeFailure;
  }

  /**
   * The crossed limit: the environment variable of a configurable limit, or one of the fixed
   * names {@link RhinoScriptRuntime#MEMORY_LIMIT} and {@link RhinoScriptRuntime#STACK_LIMIT}.
   */
  Optional<String> limit() {
    return Optional.ofNullable(limit);
  }
}
