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

  public Optional<Library> library(String name) {
    return libraries.stream().filter(l -> l.name().equals(name)).findFirst();
  }
}
