package dev.botwebhooks.script;

/** A run ended because the command does not exist (not a limit, not a script error). */
final class CommandNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CommandNotFoundException(String name) {
    super("command not found: " + name, null, false, false);
  }
}
