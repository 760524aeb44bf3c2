package dev.botwebhooks.core;

import java.util.Optional;

/** Which page of a listing to read: at most {@code limit} items after {@code cursor}. */
public record PageRequest(int limit, Optional<String> cursor) {
  public static final int MAX_LIMIT = 100;
  public static final int DEFAULT_LIMIT = 50;

  public PageRequest {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1-" + MAX_LIMIT + ", got " + limit);
    }
  }

  public static PageRequest first(int limit) {
    return new PageRequest(limit, Optional.empty());
  }
}
