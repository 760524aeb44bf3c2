package dev.botwebhooks.code;

import dev.botwebhooks.core.Command;
import dev.botwebhooks.core.CommandHeader;
import dev.botwebhooks.core.InvalidRequestException;
import dev.botwebhooks.core.Transpiled;
import dev.botwebhooks.core.Utf16;
import dev.botwebhooks.transpile.Transpiler;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A command or library file made ready to store: its name checked, its header's aliases read and
 * its body transpiled when the engine does not run it as written. Every refusal is an {@link
 * InvalidRequestException} whose message says what is wrong (a syntax error names the line and
 * column in the file as written).
 */
public final class CodeUpload {
  /** The longest command name or alias. */
  public static final int MAX_NAME_CHARS = 256;

  /** The library that is built in and never stored (README "The script API"). */
  public static final String BUILT_IN_LIBRARY = "Webhooks";

  /**
   * The most a command or library may take as stored, its transpiled form included: one DynamoDB
   * item holds 400 KB, its other attributes included (README "Transpiling at upload").
   */
  public static final int MAX_STORED_BYTES = 350 * 1024;

  private static final Pattern LIBRARY_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");

  private CodeUpload() {}

  /** A command ready to store. */
  public record PreparedCommand(
      String name, List<String> aliases, String source, Optional<Transpiled> runnable) {
    public PreparedCommand {
      aliases = List.copyOf(aliases);
    }
  }

  /** A library ready to store. */
  public record PreparedLibrary(String name, String source, Optional<Transpiled> runnable) {}

  /**
   * A command file. {@code name} is the name it is stored under; a header that names another
   * command is refused.
   */
  public static PreparedCommand command(String name, String source) {
    String checked = commandName("command name", name);
    CommandHeader header = CommandHeader.parse(source);
    if (header.command().isPresent() && !header.command().get().equals(checked)) {
      throw new InvalidRequestException(
          "command",
          "the header's command '" + header.command().get() + "' differs from the name '"
              + checked + "'");
    }
    List<String> aliases = new ArrayList<>();
    for (String given : header.aliases()) {
      String alias = commandName("alias", given);
      if (!alias.equals(checked) && !aliases.contains(alias)) {
        aliases.add(alias);
      }
    }
    // A WebApp template is text with <% %> tags, not code: it is kept as it is.
    Optional<Transpiled> runnable =
        Command.isTemplateName(checked) ? Optional.empty() : runnable(source);
    return new PreparedCommand(checked, aliases, source, fits(aliases, source, runnable));
  }

  /** A library file named {@code name}. */
  public static PreparedLibrary library(String name, String source) {
    String checked = libraryName(name);
    return new PreparedLibrary(checked, source, fits(List.of(), source, runnable(source)));
  }

  /** A library's name: {@code [A-Za-z][A-Za-z0-9_]{0,63}}, and not the built-in library's. */
  public static String libraryName(String name) {
    if (!LIBRARY_NAME.matcher(name).matches()) {
      throw new InvalidRequestException(
          "library name", "library name must match [A-Za-z][A-Za-z0-9_]{0,63}");
    }
    if (name.equals(BUILT_IN_LIBRARY)) {
      throw new InvalidRequestException(
          "library name", "library name 'Webhooks' is built in and cannot be replaced");
    }
    return name;
  }

  /**
   * A command name or alias as Bots.Business takes it (keyboard buttons are commands, so {@code
   * "Back 🔙"} and {@code "good morning"} are names): trimmed, then 1-256 characters without
   * control characters. Returns the trimmed name.
   */
  public static String commandName(String field, String name) {
    String trimmed = name.strip();
    if (trimmed.isEmpty() || trimmed.length() > MAX_NAME_CHARS) {
      throw new InvalidRequestException(
          field,
          field + " must be 1-" + MAX_NAME_CHARS + " characters (blanks around it are trimmed)");
    }
    if (trimmed.chars().anyMatch(Character::isISOControl)) {
      throw new InvalidRequestException(field, field + " must not contain control characters");
    }
    if (Utf16.hasLoneSurrogate(trimmed)) {
      throw new InvalidRequestException(
          field, field + " must not hold half of a UTF-16 surrogate pair (an emoji cut in two)");
    }
    return trimmed;
  }

  /**
   * The transpiled form, once the file, it and the aliases (kept again beside the file) are known
   * to fit {@link #MAX_STORED_BYTES}.
   */
  private static Optional<Transpiled> fits(
      List<String> aliases, String source, Optional<Transpiled> runnable) {
    long bytes =
        utf8Bytes(source)
            + runnable.map(r -> utf8Bytes(r.code()) + utf8Bytes(r.linesText())).orElse(0L)
            + aliases.stream().mapToLong(a -> utf8Bytes(a) + 4).sum();
    if (bytes > MAX_STORED_BYTES) {
      throw new InvalidRequestException(
          "body",
          "stored, the file"
              + (runnable.isPresent() ? " with its transpiled form" : "")
              + (aliases.isEmpty() ? "" : " and its aliases")
              + " is " + bytes + " bytes; at most " + MAX_STORED_BYTES + " fit");
    }
    return runnable;
  }

  private static long utf8Bytes(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  /**
   * The form the engine runs, when the body as written is not one (README "Transpiling at
   * upload"); a body nothing parses is refused, naming the line and column in the file.
   */
  private static Optional<Transpiled> runnable(String source) {
    try {
      return Transpiler.prepare(source);
    } catch (Transpiler.SyntaxProblem e) {
      throw new InvalidRequestException("body", e.getMessage());
    }
  }
}
