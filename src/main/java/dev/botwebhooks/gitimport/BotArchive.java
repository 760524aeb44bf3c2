package dev.botwebhooks.gitimport;

import dev.botwebhooks.core.InvalidRequestException;
import dev.botwebhooks.http.Utf8;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The files of a bot's zip archive that make a bot, as Bots.Business lays a bot out in git
 * (README "Importing from git"): {@code commands/**}{@code /*.js} and {@code libs/*.js}, at the
 * archive's root or under its one top folder (GitHub's {@code repo-branch/}). Everything else is
 * not read. The archive comes from outside, so it is read within limits counted on the bytes it
 * inflates to, never on the sizes it claims.
 *
 * @param commands the command files by path under {@code commands/}, in path order
 * @param libraries the library files by name (the file name without {@code .js}), in name order
 */
public record BotArchive(Map<String, String> commands, Map<String, String> libraries) {
  /** The most entries an archive may hold. */
  static final int MAX_ENTRIES = 5000;

  /** The most bytes one command or library file may inflate to. */
  static final int MAX_FILE_BYTES = 512 * 1024;

  /** The most bytes all command and library files together may inflate to. */
  static final int MAX_TOTAL_BYTES = 8 * 1024 * 1024;

  /**
   * The most bytes the whole archive may inflate to, the entries it does not read included: a zip
   * reader inflates an entry to get past it, so this bounds the work an archive can ask for.
   */
  static final long MAX_INFLATED_BYTES = 64L * 1024 * 1024;

  public BotArchive {
    commands = java.util.Collections.unmodifiableMap(new TreeMap<>(commands));
    libraries = java.util.Collections.unmodifiableMap(new TreeMap<>(libraries));
  }

  /**
   * Reads a zip archive.
   *
   * @throws InvalidRequestException when it is not a zip, crosses a limit, holds a file that is
   *     not UTF-8 text, or has no {@code commands/} folder
   */
  public static BotArchive read(byte[] zip) {
    if (!looksLikeZip(zip)) {
      throw refused("it is not a zip archive");
    }
    List<Entry> entries = new ArrayList<>();
    long total = 0;
    long inflated = 0;
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      ZipEntry entry;
      int count = 0;
      while ((entry = in.getNextEntry()) != null) {
        if (++count > MAX_ENTRIES) {
          throw refused("it has more than " + MAX_ENTRIES + " entries");
        }
        if (entry.isDirectory() || !mayBeRead(entry.getName())) {
          inflated += skip(in, MAX_INFLATED_BYTES - inflated);
          continue;
        }
        byte[] bytes = readAtMost(in, MAX_FILE_BYTES, entry.getName());
        total += bytes.length;
        inflated += bytes.length;
        if (total > MAX_TOTAL_BYTES) {
          throw refused(
              "its command and library files inflate to more than " + MAX_TOTAL_BYTES + " bytes");
        }
        entries.add(new Entry(entry.getName(), bytes));
      }
    } catch (IOException e) {
      throw refused("it is not a readable zip archive");
    }
    return of(entries);
  }

  private static boolean looksLikeZip(byte[] bytes) {
    return bytes.length >= 4 && bytes[0] == 'P' && bytes[1] == 'K';
  }

  private record Entry(String path, byte[] bytes) {}

  private static BotArchive of(List<Entry> entries) {
    String root = root(entries);
    Map<String, String> commands = new TreeMap<>();
    Map<String, String> libraries = new TreeMap<>();
    for (Entry e : entries) {
      if (!e.path().startsWith(root)) {
        continue;
      }
      String path = e.path().substring(root.length());
      if (path.startsWith("commands/") && !hasDotSegment(path)) {
        commands.put(path.substring("commands/".length()), text(e));
      } else if (path.startsWith("libs/") && path.indexOf('/', "libs/".length()) < 0) {
        libraries.put(path.substring("libs/".length(), path.length() - ".js".length()), text(e));
      }
    }
    if (commands.isEmpty()) {
      throw refused("it has no commands/ folder of .js files (at its root or under one folder)");
    }
    return new BotArchive(commands, libraries);
  }

  /** "" when commands/ is at the root, else the one top folder all entries share. */
  private static String root(List<Entry> entries) {
    String top = null;
    for (Entry e : entries) {
      if (e.path().startsWith("commands/") || e.path().startsWith("libs/")) {
        return "";
      }
      int slash = e.path().indexOf('/');
      String first = slash < 0 ? "" : e.path().substring(0, slash + 1);
      if (top == null) {
        top = first;
      } else if (!top.equals(first)) {
        return "";
      }
    }
    return top == null ? "" : top;
  }

  private static boolean hasDotSegment(String path) {
    for (String segment : path.split("/")) {
      if (segment.equals("..") || segment.equals(".") || segment.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the entry is a {@code .js} file under {@code commands/} or {@code libs/}, at the root
   * or under one top folder: the only entries {@link #of} may read.
   */
  private static boolean mayBeRead(String name) {
    if (!name.endsWith(".js")) {
      return false;
    }
    int slash = name.indexOf('/');
    String underTop = slash < 0 ? "" : name.substring(slash + 1);
    return name.startsWith("commands/") || name.startsWith("libs/")
        || underTop.startsWith("commands/") || underTop.startsWith("libs/");
  }

  /** Inflates an entry that is not read, counting its bytes; refused past {@code left}. */
  private static long skip(InputStream in, long left) throws IOException {
    byte[] buffer = new byte[8192];
    long skipped = 0;
    int n;
    while ((n = in.read(buffer)) > 0) {
      skipped += n;
      if (skipped > left) {
        throw refused("it inflates to more than " + MAX_INFLATED_BYTES + " bytes");
      }
    }
    return skipped;
  }

  private static byte[] readAtMost(InputStream in, int max, String name) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    while ((n = in.read(buffer)) > 0) {
      if (out.size() + n > max) {
        throw refused(name + " inflates to more than " + max + " bytes");
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  private static String text(Entry e) {
    return Utf8.strict(e.bytes()).orElseThrow(() -> refused(e.path() + " is not UTF-8 text"));
  }

  private static InvalidRequestException refused(String why) {
    return new InvalidRequestException("archive", "the git archive was refused: " + why);
  }
}
