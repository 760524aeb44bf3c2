package dev.botwebhooks.script;

import dev.botwebhooks.core.Transpiled;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a line of what the engine ran comes from in the bot's files: a chain joins {@code @}, the
 * command and {@code @@} into one body, and a transpiled body has lines of its own, so an error's
 * line is translated back to the command or library and the line the owner wrote.
 */
final class SourcePlaces {
  /** One file's body within a compiled text, from its first line. */
  private record Part(int firstLine, int lineCount, String label, Optional<Transpiled> map) {}

  private final Map<String, List<Part>> bySourceName = new HashMap<>();

  /** Builds one compiled text out of bodies and the glue between them, recording each body. */
  final class Text {
    private final String sourceName;
    private final StringBuilder text = new StringBuilder();
    private final List<Part> parts = new ArrayList<>();
    private int line = 1;

    private Text(String sourceName) {
      this.sourceName = sourceName;
    }

    Text glue(String code) {
      text.append(code);
      line += newlines(code);
      return this;
    }

    /** A file's body: its transpiled form when it has one. */
    Text body(String label, String source, Optional<Transpiled> transpiled) {
      String code = transpiled.map(Transpiled::code).orElse(source);
      parts.add(new Part(line, newlines(code) + 1, label, transpiled));
      return glue(code);
    }

    /** The text; its places are known from now on under the source name. */
    String done() {
      bySourceName.put(sourceName, List.copyOf(parts));
      return text.toString();
    }
  }

  Text text(String sourceName) {
    return new Text(sourceName);
  }

  /** {@code " (command /start, line 3)"} for a line of a compiled text, or "" if unknown. */
  String where(String sourceName, int line) {
    if (sourceName == null || line <= 0) {
      return "";
    }
    List<Part> parts = bySourceName.get(sourceName);
    if (parts == null || parts.isEmpty()) {
      return " (" + sourceName + ", line " + line + ")";
    }
    Part part = parts.get(0);
    for (Part p : parts) {
      if (p.firstLine() <= line) {
        part = p;
      }
    }
    int local = Math.max(1, Math.min(line - part.firstLine() + 1, part.lineCount()));
    int userLine = part.map().map(t -> t.sourceLine(local)).orElse(local);
    return " (" + part.label() + ", line " + userLine + ")";
  }

  private static int newlines(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }
}
