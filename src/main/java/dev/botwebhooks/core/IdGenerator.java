package dev.botwebhooks.core;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes ids: unguessable ones for hooks, bots and keys (128 bits or more from {@link SecureRandom},
 * URL-safe), and time-ordered ones for outbox and error entries so that they sort newest first.
 */
public class IdGenerator {
  private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();
  private final SecureRandom random;
  private final AtomicInteger sequence = new AtomicInteger();

  public IdGenerator(SecureRandom random) {
    this.random = random;
  }

  public static IdGenerator secure() {
    return new IdGenerator(new SecureRandom());
  }

  /** 128 random bits, URL-safe base64: 22 characters. */
  public String randomId() {
    return random(16);
  }

  /** {@code bytes} random bytes, URL-safe base64. */
  public String random(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return URL_SAFE.encodeToString(b);
  }

  /**
   * An id that sorts by time as text: 13 digits of epoch milliseconds, a sequence number so that
   * ids made by this generator in the same millisecond keep their order, and random characters so
   * that ids made elsewhere differ.
   */
  public String timeOrderedId(Instant at) {
    int seq = sequence.getAndIncrement() & 0x7fffffff;
    return String.format("%013d-%010d-", at.toEpochMilli(), seq) + random(6);
  }

  /** The time a {@link #timeOrderedId} was made for; empty for another id. */
  public static Optional<Instant> timeOf(String id) {
    if (id == null || id.length() < 15 || id.charAt(13) != '-') {
      return Optional.empty();
    }
    for (int i = 0; i < 13; i++) {
      if (id.charAt(i) < '0' || id.charAt(i) > '9') {
        return Optional.empty();
      }
    }
    return Optional.of(Instant.ofEpochMilli(Long.parseLong(id, 0, 13, 10)));
  }
}
