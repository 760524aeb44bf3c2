package dev.botwebhooks.egress;

import java.util.Optional;

/**
 * A call the egress policy or its caps refused, or that failed on the way. The message is for the
 * bot's {@code error} command and error log: it names the rule (and the limit's variable), never
 * an address the host resolved to.
 */
public final class EgressRefusedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String limit;

  public EgressRefusedException(String message) {
    this(message, null);
  }

  public EgressRefusedException(String message, String limit) {
    super(message, null, false, false);
    this.limit = limit;
  }

  /** The variable of the crossed limit, when that is why. */
  public Optional<String> limit() {
    return Optional.ofNullable(limit);
  }
}
