package dev.botwebhooks.core;

/**
 * A commit was refused because its delivery id is already recorded: another copy of the same
 * delivery committed first. Nothing of the commit was applied; the recorded answer is the one to
 * give.
 */
public final class DuplicateDeliveryException extends RuntimeException {
  public DuplicateDeliveryException(String message, Throwable cause) {
    super(message, cause);
  }
}
