package dev.botwebhooks.core;

/** The store could not be reached, timed out, or stayed throttled past its retries. */
public final class StoreUnavailableException extends RuntimeException {
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
