package dev.botwebhooks.botapi;

import dev.botwebhooks.core.BotCode;
import dev.botwebhooks.core.Command;
import dev.botwebhooks.core.CodeStore;
import dev.botwebhooks.core.CommandHeader;
import dev.botwebhooks.core.Transpiled;
import dev.botwebhooks.http.HttpResponse;
import dev.botwebhooks.transpile.Transpiler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@code /bots/{botId}/commands}: upload a command file (its {@code /*CMD} header gives the
 * aliases), list, read and delete. Commands list by name, not by age.
 */
final class CommandRoutes {
  private final CodeStore store;

  CommandRoutes(CodeStore store) {
    this.store = store;
  }

  HttpResponse put(ApiCall call) {
    String name = Fields.commandName("command name", call.param("name"));
    String source = call.sourceText();
    CommandHeader header = CommandHeader.parse(source);
    if (header.command().isPresent() && !header.command().get().equals(name)) {
      throw ApiException.badRequest(
          "the header's command '" + header.command().get() + "' differs from the path's '"
              + name + "'");
    }
    List<String> aliases = new ArrayList<>();
    for (String given : header.aliases()) {
      String alias = Fields.commandName("alias", given);
      if (!alias.equals(name)) {
        aliases.add(alias);
      }
    }
    requireRunnable(store.code(call.botId()), name, aliases);
    // A WebApp template is text with <% %> tags, not code: it is kept as it is.
    Optional<Transpiled> runnable =
        Command.isTemplateName(name) ? Optional.empty() : transpiled(source);
    Command stored = store.putCommand(call.botId(), name, aliases, source, runnable);
    return HttpResponse.json(200, Shapes.commandSummary(stored));
  }

  /**
   * The form the engine runs, when the body as written is not one (README "Transpiling at
   * upload"); a body nothing parses is a 400 naming the line and column in the uploaded file.
   */
  static Optional<Transpiled> transpiled(String source) {
    try {
      return Transpiler.prepare(source);
    } catch (Transpiler.SyntaxProblem e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  /**
   * Every alias must reach this command: a name is looked up before aliases, and the first
   * command with an alias wins, so clashes with other commands are refused.
   */
  private static void requireRunnable(BotCode code, String name, List<String> aliases) {
    for (Command other : code.commands()) {
      if (other.name().equals(name)) {
        continue;
      }
      if (other.aliases().contains(name)) {
        throw new ApiException(
            409, "command name '" + name + "' is already an alias of '" + other.name() + "'");
      }
      for (String alias : aliases) {
        if (other.answersTo(alias)) {
          throw new ApiException(
              409, "alias '" + alias + "' is already the name or an alias of '"
                  + other.name() + "'");
        }
      }
    }
  }

  HttpResponse get(ApiCall call) {
    String name = call.param("name");
    return store
        .command(call.botId(), name)
        .map(c -> HttpResponse.json(200, Shapes.command(c)))
        .orElseThrow(() -> ApiException.notFound("no command named '" + name + "'"));
  }

  HttpResponse delete(ApiCall call) {
    String name = call.param("name");
    if (!store.deleteCommand(call.botId(), name)) {
      throw ApiException.notFound("no command named '" + name + "'");
    }
    return Responses.noContent();
  }

  /** Pages over the bot's commands sorted by name; the cursor is the last name of a page. */
  HttpResponse list(ApiCall call) {
    var page = call.page();
    List<Command> all = new ArrayList<>(store.code(call.botId()).commands());
    all.sort(Comparator.comparing(Command::name));
    String after = page.cursor().map(CommandRoutes::decodeCursor).orElse(null);
    List<Command> items = new ArrayList<>();
    Optional<String> next = Optional.empty();
    for (Command c : all) {
      if (after != null && c.name().compareTo(after) <= 0) {
        continue;
      }
      if (items.size() == page.limit()) {
        next = Optional.of(encodeCursor(items.get(items.size() - 1).name()));
        break;
      }
      items.add(c);
    }
    return HttpResponse.json(200, Shapes.page(items, next, Shapes::commandSummary));
  }

  private static String encodeCursor(String name) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(name.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeCursor(String cursor) {
    try {
      return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("cursor is not one this API returned");
    }
  }
}
