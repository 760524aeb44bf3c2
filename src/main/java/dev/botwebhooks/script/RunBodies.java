package dev.botwebhooks.script;

import dev.botwebhooks.core.Command;
import dev.botwebhooks.core.Library;
import java.util.Optional;

/**
 * The function bodies a run compiles, each with its lines mapped back to the bot's files by the
 * run's {@link SourcePlaces}: a command on its own, a library, and {@code @}, the command and
 * {@code @@} as one chain.
 */
final class RunBodies {
  private RunBodies() {}

  /**
   * {@code @}, the command and {@code @@} as one function body, so that they share one scope as on
   * Bots.Business: {@code @@} sees the variables of both, and, as there, a top-level {@code
   * return} in {@code @} or the command ends the chain ({@code @@} does not run), as a throw does.
   */
  static String chain(
      SourcePlaces places, Optional<Command> before, Command command, Optional<Command> after) {
    SourcePlaces.Text text = places.text("chain " + command.name());
    before.ifPresent(b -> text.body("command " + b.name(), b.source(), b.runnable()).glue("\n;\n"));
    text.body("command " + command.name(), command.source(), command.runnable());
    after.ifPresent(a -> text.glue("\n;\n").body("command " + a.name(), a.source(), a.runnable()));
    return text.done();
  }

  /** A key part that changes whenever any of the three bodies changes. */
  static long chainVersion(Optional<Command> before, Command command, Optional<Command> after) {
    return (command.version() * 1_000_003L + before.map(Command::version).orElse(0L)) * 1_000_003L
        + after.map(Command::version).orElse(0L);
  }

  /** One command's body on its own. */
  static String command(SourcePlaces places, Command c) {
    String label = "command " + c.name();
    return places.text(label).body(label, c.source(), c.runnable()).done();
  }

  /** The body of a library. */
  static String library(SourcePlaces places, Library lib) {
    String label = "lib " + lib.name();
    return places.text(label).body("library " + lib.name(), lib.source(), lib.runnable()).done();
  }
}
