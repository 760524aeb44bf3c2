package dev.botwebhooks.botapi;

import dev.botwebhooks.code.CodeUpload;
import dev.botwebhooks.core.BotCode;
import dev.botwebhooks.core.Command;
import dev.botwebhooks.core.CodeStore;
import dev.botwebhooks.core.InvalidRequestException;
import dev.botwebhooks.http.HttpResponse;
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

  /** How many times an upload reads the code again when other writes keep coming between. */
  private static final int WRITE_ATTEMPTS = 8;

  /**
   * Checks the command against the bot's code and writes it only if that code is still the
   * bot's: two uploads at once cannot both take one alias.
   */
  HttpResponse put(ApiCall call) {
    CodeUpload.PreparedCommand c = CodeUpload.command(call.param("name"), call.sourceText());
    for (int attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      BotCode code = store.code(call.botId());
      requireRunnable(code, c.name(), c.aliases());
      Optional<Command> stored =
          store.putCommandAt(
              code.version(), call.botId(), c.name(), c.aliases(), c.source(), c.runnable());
      if (stored.isPresent()) {
        return HttpResponse.json(200, Shapes.commandSummary(stored.get()));
      }
    }
    throw new ApiException(409, "the bot's code kept changing during this upload: send it again");
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
    String name = call.param("name").strip(); // names are trimmed when uploaded
    return store
        .command(call.botId(), name)
        .map(c -> HttpResponse.json(200, Shapes.command(c)))
        .orElseThrow(() -> ApiException.notFound("no command named '" + name + "'"));
  }

  HttpResponse delete(ApiCall call) {
    String name = call.param("name").strip();
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

  /** The name a cursor holds; one that holds no command name (any base64 text) is refused. */
  private static String decodeCursor(String cursor) {
    try {
      String name = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      boolean isName = CodeUpload.commandName("cursor", name).equals(name);
      if (isName && cursor.equals(encodeCursor(name))) {
        return name;
      }
    } catch (IllegalArgumentException | InvalidRequestException e) {
      // refused below
    }
    throw ApiException.badRequest("cursor is not one this API returned");
  }
}
