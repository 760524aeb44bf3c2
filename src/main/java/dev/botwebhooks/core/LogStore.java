package dev.botwebhooks.core;

import java.util.Optional;

/** The outbox and the error log of a bot. One role of {@link Store}. */
public interface LogStore {
  Page<OutboxEntry> messages(String botId, Optional<String> userId, PageRequest page);

  void logError(ErrorEntry entry);

  Page<ErrorEntry> errors(String botId, PageRequest page);
}
