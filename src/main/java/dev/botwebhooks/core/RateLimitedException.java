package dev.botwebhooks.core;

/**
 * A hit's last write was refused because its client's count for the minute reached the limit
 * while the hit ran ({@link RateCharge}): nothing of the write applied, and the hit answers 429.
 */
public final class RateLimitedException extends RuntimeException {
  public RateLimitedException(String message, Throwable cause) {
    super(message, cause);
  }
}
