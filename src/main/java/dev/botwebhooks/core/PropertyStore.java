package dev.botwebhooks.core;

import java.util.Optional;

/** Typed properties, and the atomic commit of a run's effects. One role of {@link Store}. */
public interface PropertyStore {
  Optional<StoredProperty> property(PropertyKey key);

  /** Writes a property outside any run (the API's seeding), bumping its version. */
  void putProperty(PropertyKey key, PropertyValue value);

  boolean deleteProperty(PropertyKey key);

  /**
   * Applies a run's effects atomically: every write and outbox entry, or none. Fails with {@link
   * CommitConflictException} when a read or written property no longer has the version the run
   * saw.
   */
  void commit(Commit commit);
}
