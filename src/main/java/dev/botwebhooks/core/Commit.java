package dev.botwebhooks.core;

import java.util.List;
import java.util.Objects;

/**
 * The buffered effects of one successful run, applied by {@link Store#commit} all together or not
 * at all.
 *
 * @param reads properties the run read but did not write, with the version it saw (0: absent);
 *     the commit fails if any changed since
 * @param writes properties the run wrote, each with the version it expected (0: absent)
 * @param outbox messages and recorded API calls, in the order the run made them
 * @param token idempotency token: a commit retried with the same token applies once
 */
public record Commit(
    String botId,
    List<PropertyRead> reads,
    List<PropertyWrite> writes,
    List<OutboxEntry> outbox,
    String token) {
  public Commit {
    Ids.requireBotId(botId);
    reads = List.copyOf(reads);
    writes = List.copyOf(writes);
    outbox = List.copyOf(outbox);
    Objects.requireNonNull(token, "token");
  }

  /**
   * Most properties one commit may read or write: with its idempotency token and one (packed)
   * outbox item it still fits in one DynamoDB transaction of 100 items.
   */
  public static final int MAX_PROPERTIES = 98;

  public boolean isEmpty() {
    return writes.isEmpty() && outbox.isEmpty();
  }

  /** A property read whose version must still hold at commit time. */
  public record PropertyRead(PropertyKey key, long expectedVersion) {}

  /**
   * A property write.
   *
   * @param value the new value, or null to delete
   */
  public record PropertyWrite(PropertyKey key, long expectedVersion, PropertyValue value) {}
}
