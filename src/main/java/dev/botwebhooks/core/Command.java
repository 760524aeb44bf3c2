package dev.botwebhooks.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

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

  /** The names of WebApp templates, as in Bots.Business exports: index.html, styles.css, ... */
  private static final Pattern TEMPLATE_NAME =
      Pattern.compile("(?i).+\\.(html|htm|css|js|json|txt)");

  /**
   * Whether a command of this name is a WebApp template (README "Transpiling at upload"): text
   * that {@code WebApp.render({ template })} renders, never run as code.
   */
  public static boolean isTemplateName(String name) {
    return TEMPLATE_NAME.matcher(name).matches();
  }

  public boolean isTemplate() {
    return isTemplateName(name);
  }

  public boolean answersTo(String nameOrAlias) {
    return name.equals(nameOrAlias) || aliases.contains(nameOrAlias);
  }
}
