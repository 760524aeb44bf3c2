package dev.botwebhooks.gitimport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.code.CodeUpload;
import dev.botwebhooks.core.BotCode;
import dev.botwebhooks.core.CodeStore;
import dev.botwebhooks.core.Command;
import dev.botwebhooks.core.CommandHeader;
import dev.botwebhooks.core.InvalidRequestException;
import dev.botwebhooks.core.Library;
import dev.botwebhooks.json.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Replaces a bot's code with an archive's, as Bots.Business's git import does (README "Importing
 * from git"): every command and library of the archive is stored, and the bot's commands and
 * libraries the archive does not hold are deleted. Every file is checked first, by the rules of
 * an upload; one that breaks a rule refuses the whole import, which then writes nothing. A file
 * whose stored copy is the same is not written again, so importing the same archive twice changes
 * nothing the second time.
 */
public final class GitImport {
  private GitImport() {}

  /**
   * What an import did.
   *
   * @param written commands and libraries stored anew
   * @param unchanged those whose stored copy was already the same
   * @param deleted the bot's commands and libraries the archive did not hold
   * @param skipped files not imported, with why (the bundled built-in library)
   */
  public record Summary(int written, int unchanged, int deleted, List<String> skipped) {
    public Summary {
      skipped = List.copyOf(skipped);
    }

    public ObjectNode toJson() {
      ObjectNode o = Json.object();
      o.put("written", written);
      o.put("unchanged", unchanged);
      o.put("deleted", deleted);
      skipped.forEach(o.putArray("skipped")::add);
      return o;
    }
  }

  /**
   * Imports the archive into the bot.
   *
   * @throws InvalidRequestException naming every file that breaks a rule; nothing is written then
   */
  public static Summary apply(CodeStore store, String botId, BotArchive archive) {
    List<String> problems = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<CodeUpload.PreparedCommand> commands = new ArrayList<>();
    Map<String, String> answeredBy = new HashMap<>();
    for (Map.Entry<String, String> file : archive.commands().entrySet()) {
      String path = "commands/" + file.getKey();
      try {
        CodeUpload.PreparedCommand c =
            CodeUpload.command(commandName(file.getKey(), file.getValue()), file.getValue());
        for (String name : withAliases(c)) {
          String other = answeredBy.putIfAbsent(name, path);
          if (other != null) {
            throw new InvalidRequestException(
                "command", "'" + name + "' is already the name or an alias of " + other);
          }
        }
        commands.add(c);
      } catch (InvalidRequestException e) {
        problems.add(path + ": " + e.getMessage());
      }
    }
    List<CodeUpload.PreparedLibrary> libraries = new ArrayList<>();
    for (Map.Entry<String, String> file : archive.libraries().entrySet()) {
      if (file.getKey().equals(CodeUpload.BUILT_IN_LIBRARY)) {
        skipped.add("libs/Webhooks.js: the Webhooks library is built in");
        continue;
      }
      try {
        libraries.add(CodeUpload.library(file.getKey(), file.getValue()));
      } catch (InvalidRequestException e) {
        problems.add("libs/" + file.getKey() + ".js: " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidRequestException(
          "archive", "the git import was refused, nothing changed: " + String.join("; ", problems));
    }
    return write(store, botId, commands, libraries, skipped);
  }

  private static Summary write(
      CodeStore store,
      String botId,
      List<CodeUpload.PreparedCommand> commands,
      List<CodeUpload.PreparedLibrary> libraries,
      List<String> skipped) {
    BotCode before = store.code(botId);
    Map<String, Command> oldCommands = new LinkedHashMap<>();
    before.commands().forEach(c -> oldCommands.put(c.name(), c));
    Map<String, Library> oldLibraries = new LinkedHashMap<>();
    before.libraries().forEach(l -> oldLibraries.put(l.name(), l));
    int written = 0;
    int unchanged = 0;
    // Stored first, deleted last: an import cut short leaves old commands, never fewer.
    for (CodeUpload.PreparedCommand c : commands) {
      Command old = oldCommands.remove(c.name());
      if (old != null && old.source().equals(c.source()) && old.aliases().equals(c.aliases())) {
        unchanged++;
      } else {
        store.putCommand(botId, c.name(), c.aliases(), c.source(), c.runnable());
        written++;
      }
    }
    for (CodeUpload.PreparedLibrary l : libraries) {
      Library old = oldLibraries.remove(l.name());
      if (old != null && old.source().equals(l.source())) {
        unchanged++;
      } else {
        store.putLibrary(botId, l.name(), l.source(), l.runnable());
        written++;
      }
    }
    int deleted = 0;
    for (String name : oldCommands.keySet()) {
      deleted += store.deleteCommand(botId, name) ? 1 : 0;
    }
    for (String name : oldLibraries.keySet()) {
      deleted += store.deleteLibrary(botId, name) ? 1 : 0;
    }
    return new Summary(written, unchanged, deleted, skipped);
  }

  /**
   * The command a file holds: its header's {@code command:}, else the file's name without {@code
   * .js}, where a leading {@code _} stands for {@code /} as in Bots.Business's git layout.
   */
  static String commandName(String path, String source) {
    Optional<String> named = CommandHeader.parse(source).command();
    if (named.isPresent()) {
      return named.get();
    }
    String file = path.substring(path.lastIndexOf('/') + 1, path.length() - ".js".length());
    return file.startsWith("_") ? "/" + file.substring(1) : file;
  }

  private static Set<String> withAliases(CodeUpload.PreparedCommand c) {
    Set<String> names = new java.util.LinkedHashSet<>();
    names.add(c.name());
    names.addAll(c.aliases());
    return names;
  }
}
