package dev.botwebhooks.core;

/**
 * A run crossed a limit (README "Security and limits"); {@link #limit()} is the limit's environment
 * variable.
 */
public final class LimitExceededException extends RuntimeException {
  private final String limit;

  public LimitExceededException(String limit, String message) {
    super(message);
    this.limit = limit;
  }

  public String limit() {
    return limit;
  }
}
