package dev.botwebhooks.core;

import java.util.Objects;
import java.util.Optional;

/**
 * A Bots.Business-style library: source that calls {@code publish({...})} and {@code on(...)},
 * with the transpiled form the engine runs instead when there is one.
 */
public record Library(String name, String source, Optional<Transpiled> runnable, long version) {
  public Library {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(runnable, "runnable");
  }

  /** A library that runs as written. */
  public Library(String name, String source, long version) {
    this(name, source, Optional.empty(), version);
  }
}
