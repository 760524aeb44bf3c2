package dev.botwebhooks.core;

/**
 * A commit was refused because a property that the run read or wrote changed since it read it;
 * nothing of the commit was applied, and the run may run again from the start.
 */
public final class CommitConflictException extends RuntimeException {
  public CommitConflictException(String message, Throwable cause) {
    super(message, cause);
  }
}
