package dev.botwebhooks.core;

import java.util.Objects;

/** A Bots.Business-style library: source that calls {@code publish({...})} and {@code on(...)}. */
public record Library(String name, String source, long version) {
  public Library {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
  }
}
