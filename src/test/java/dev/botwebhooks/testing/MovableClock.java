package dev.botwebhooks.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that tests move ahead by hand: stopped at a start, or running with the system's. */
public final class MovableClock extends Clock {
  private final Clock base;
  private volatile Duration ahead = Duration.ZERO;

  private MovableClock(Clock base) {
    this.base = base;
  }

  /** A clock that stays at {@code start} until moved. */
  public static MovableClock at(Instant start) {
    return new MovableClock(Clock.fixed(start, ZoneOffset.UTC));
  }

  /** The system's clock, for what becomes due a minute or more later. */
  public static MovableClock running() {
    return new MovableClock(Clock.systemUTC());
  }

  public void advance(Duration d) {
    ahead = ahead.plus(d);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return base.instant().plus(ahead);
  }
}
