package dev.botwebhooks.core;

/** Input that breaks a rule; the message names the field and the rule, and is safe to show. */
public final class InvalidRequestException extends RuntimeException {
  private final String field;

  public InvalidRequestException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
