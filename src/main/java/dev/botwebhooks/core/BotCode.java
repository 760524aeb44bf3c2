package dev.botwebhooks.core;

import java.util.List;
import java.util.Optional;

/** All commands and libraries of one bot at one code version, as loaded for a hit. */
public record BotCode(String botId, long version, List<Command> commands, List<Library> libraries) {
  public BotCode {
    commands = List.copyOf(commands);
    libraries = List.copyOf(libraries);
  }

  /** The command with this name, else the first whose aliases include it. */
  public Optional<Command> command(String nameOrAlias) {
    for (Command c : commands) {
      if (c.name().equals(nameOrAlias)) {
        return Optional.of(c);
      }
    }
    return commands.stream().filter(c -> c.answersTo(nameOrAlias)).findFirst();
  }

  /**
   * Whether a command string can run at all: a command or alias is the string or a part of it
   * before a space, or the bot has a master command {@code *} or a library (whose {@code on}
   * handlers are only known when it runs). The script runtime resolves it the same way.
   */
  public boolean mayRun(String message) {
    if (!libraries.isEmpty() || command("*").isPresent()) {
      return true;
    }
    for (int end = message.length(); end > 0; end = message.lastIndexOf(' ', end - 1)) {
      if (command(message.substring(0, end)).isPresent()) {
        return true;
      }
    }
    return false;
  }

  public Optional<Library> library(String name) {
    return libraries.stream().filter(l -> l.name().equals(name)).findFirst();
  }
}
