package dev.botwebhooks.core;

import java.util.List;
import java.util.Optional;

/** The commands and libraries of a bot, versioned together. One role of {@link Store}. */
public interface CodeStore {
  /** All commands and libraries of a bot, at the bot's current code version. */
  BotCode code(String botId);

  /**
   * Stores a command (replacing one of the same name), bumping its version and the bot's code
   * version together. Returns the command as stored.
   */
  Command putCommand(
      String botId, String name, List<String> aliases, String source, Optional<Transpiled> runnable);

  /**
   * As {@link #putCommand}, only while the bot's code version is still {@code basedOn}: a caller
   * that checked the command against the code it read at that version (a name or alias belongs to
   * one command) writes it only if no other code write came between. Empty, with nothing
   * written, when one did.
   */
  Optional<Command> putCommandAt(
      long basedOn,
      String botId,
      String name,
      List<String> aliases,
      String source,
      Optional<Transpiled> runnable);

  /** Stores a command that runs as written. */
  default Command putCommand(String botId, String name, List<String> aliases, String source) {
    return putCommand(botId, name, aliases, source, Optional.empty());
  }

  Optional<Command> command(String botId, String name);

  /** Deletes a command; false if there was none. Bumps the bot's code version. */
  boolean deleteCommand(String botId, String name);

  Library putLibrary(String botId, String name, String source, Optional<Transpiled> runnable);

  /** Stores a library that runs as written. */
  default Library putLibrary(String botId, String name, String source) {
    return putLibrary(botId, name, source, Optional.empty());
  }

  Optional<Library> library(String botId, String name);

  boolean deleteLibrary(String botId, String name);
}
