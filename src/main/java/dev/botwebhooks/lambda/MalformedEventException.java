package dev.botwebhooks.lambda;

/** An invocation payload that is not an API Gateway or function URL event; answered with 400. */
public final class MalformedEventException extends RuntimeException {
  public MalformedEventException(String message) {
    super(message);
  }

  public MalformedEventException(String message, Throwable cause) {
    super(message, cause);
  }
}
