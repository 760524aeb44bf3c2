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

  RunAbortedError(String message, String limit) {
    super(message, null, false, false);
    this.limit = limit;
  }

  /** The environment variable of the crossed limit, if a configurable limit was crossed. */
  Optional<String> limit() {
    return Optional.ofNullable(limit);
  }
}
