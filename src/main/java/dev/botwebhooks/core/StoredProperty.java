package dev.botwebhooks.core;

import java.util.Objects;

/**
 * A property as stored, with the version that a commit checks: it starts at 1 and every write
 * adds one, so a run can tell whether another run changed the property since it read it.
 */
public record StoredProperty(PropertyKey key, PropertyValue value, long version) {
  public StoredProperty {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    if (version < 1) {
      throw new IllegalArgumentException("stored property version must be >= 1, got " + version);
    }
  }
}
