package dev.botwebhooks.core;

import java.time.Instant;
import java.util.Optional;

/**
 * Typed properties, and the atomic commit of a run's effects with its delivery record. One role of
 * {@link Store}.
 */
public interface PropertyStore {
  Optional<StoredProperty> property(PropertyKey key);

  /**
   * The properties of a bot ({@code userId} empty) or of one of its users, sorted by name, a page
   * at a time.
   */
  Page<StoredProperty> properties(String botId, Optional<String> userId, PageRequest page);

  /** Writes a property outside any run (the API's seeding), bumping its version. */
  void putProperty(PropertyKey key, PropertyValue value);

  boolean deleteProperty(PropertyKey key);

  /**
   * Applies a run's effects atomically: every write and outbox entry, and its delivery record, or
   * none. Fails with {@link CommitConflictException} when a read or written property no longer has
   * the version the run saw, and with {@link DuplicateDeliveryException} when the delivery is
   * already recorded. A commit sent again with the same token applies once.
   */
  void commit(Commit commit);

  /**
   * Whether the commit with this commit's token has been applied, read consistently from what the
   * commit wrote. A hit whose commit answer was lost asks this to learn the truth (README
   * "Reliability"); resending the same commit is safe either way, as it applies at most once.
   */
  boolean isApplied(Commit commit);

  /** The delivery recorded for this hook and delivery id, if its retention has not ended. */
  Optional<Delivery> delivery(String hookId, String deliveryId, Instant now);
}
