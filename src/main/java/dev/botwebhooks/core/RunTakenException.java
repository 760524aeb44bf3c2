package dev.botwebhooks.core;

/**
 * A commit was refused because the kept run it takes out of the schedule ({@link Commit#takes})
 * is no longer there: a poll or a chain ran it and committed first. Nothing of the commit was
 * applied; the run is done, once.
 */
public final class RunTakenException extends RuntimeException {
  public RunTakenException(String message, Throwable cause) {
    super(message, cause);
  }
}
