package dev.botwebhooks.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A bot's command: its name (such as {@code /onWebhook} or {@code @}), its aliases, its
 * JavaScript body (the file as uploaded, header included), the transpiled form the engine runs
 * instead when there is one, and a version bumped by every write.
 */
public record Command(
    String name, List<String> aliases, String source, Optional<Transpiled> runnable, long version) {
  public Command {
    Objects.requireNonNull(name, "name");
    aliases = List.copyOf(aliases);
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(runnable, "runnable");
  }

  /** A command that runs as written. */
  public Command(String name, List<String> aliases, String source, long version) {
    this(name, aliases, source, Optional.empty(), version);
  }

  public boolean answersTo(String nameOrAlias) {
    return name.equals(nameOrAlias) || aliases.contains(nameOrAlias);
  }
}
