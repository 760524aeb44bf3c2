package dev.botwebhooks.core;

import java.util.List;
import java.util.Objects;

/**
 * A bot's command: its name (such as {@code /onWebhook} or {@code @}), its aliases, its
 * JavaScript body (the file as uploaded, header included) and a version bumped by every write.
 */
public record Command(String name, List<String> aliases, String source, long version) {
  public Command {
    Objects.requireNonNull(name, "name");
    aliases = List.copyOf(aliases);
    Objects.requireNonNull(source, "source");
  }

  public boolean answersTo(String nameOrAlias) {
    return name.equals(nameOrAlias) || aliases.contains(nameOrAlias);
  }
}
