package dev.botwebhooks.script;

import dev.botwebhooks.core.BotCode;
import dev.botwebhooks.core.Command;
import java.util.Map;
import java.util.Optional;
import org.mozilla.javascript.Function;

/**
 * Which command a command string runs, as on Bots.Business where names may hold spaces
 * ({@code "good morning"}, {@code "Back 🔙"}): the whole string when it is a name or alias, else
 * the longest part before a space that is one (the rest is {@code params}), where a library's
 * {@code on(name, fn)} handler counts as a name too and a command or alias wins over a handler of
 * the same name; else the master command {@code *}, which gets the whole string as
 * {@code message} (README "The script API").
 */
final class CommandLookup {
  static final String MASTER = "*";

  /**
   * A command string resolved.
   *
   * @param name the name it ran under (the name or alias matched, or {@code *})
   * @param command the stored command, when it is one
   * @param handler the library handler, when it is one
   * @param params the text after the name
   */
  record Found(String name, Optional<Command> command, Function handler, String params) {}

  private CommandLookup() {}

  static Optional<Found> find(BotCode code, Map<String, Function> handlers, String message) {
    for (int end = message.length(); end > 0; end = message.lastIndexOf(' ', end - 1)) {
      String name = message.substring(0, end);
      String params = end < message.length() ? message.substring(end + 1) : "";
      Optional<Command> command = code.command(name);
      if (command.isPresent()) {
        return Optional.of(new Found(name, command, null, params));
      }
      Function handler = handlers.get(name);
      if (handler != null) {
        return Optional.of(new Found(name, Optional.empty(), handler, params));
      }
    }
    return code.command(MASTER).map(c -> new Found(MASTER, Optional.of(c), null, ""));
  }

  /** The name a command string runs under when nothing matches: up to the first space. */
  static String firstWord(String message) {
    int space = message.indexOf(' ');
    return space < 0 ? message : message.substring(0, space);
  }
}
