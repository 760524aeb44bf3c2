package dev.botwebhooks.core;

/** A listing cursor that this store did not hand out. */
public final class InvalidCursorException extends RuntimeException {
  public InvalidCursorException(String cursor, Throwable cause) {
    super("cursor is not one this API returned: '" + cursor + "'", cause);
  }
}
