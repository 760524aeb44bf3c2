package dev.botwebhooks.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Bots.Business header of a command file: a {@code /*CMD ... CMD*}{@code /} comment at the top
 * with {@code key: value} lines ({@code command}, {@code aliases}, {@code answer}, ...), where a
 * value {@code <<TAG} runs over the following lines up to a line {@code TAG}, and a line {@code
 * <<ANSWER} on its own opens such a block for the key {@code answer} (as exports write a
 * multi-line answer or keyboard). Keys this service does not use are kept but ignored.
 *
 * @param values every key of the header (lower-cased) with its value, trimmed; empty when the file
 *     has no header
 */
public record CommandHeader(Map<String, String> values) {
  private static final String OPEN = "/*CMD";
  private static final String CLOSE = "CMD*/";
  private static final Pattern LINE = Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_-]*)\\s*:(.*)");
  private static final Pattern HEREDOC = Pattern.compile("<<([A-Za-z_][A-Za-z0-9_]*)\\s*");

  public CommandHeader {
    values = Map.copyOf(values);
  }

  /**
   * Reads the header of a command file, if it starts with one (after blank space).
   *
   * @throws InvalidRequestException when a header is opened but not closed, or a {@code <<TAG}
   *     value is not ended
   */
  public static CommandHeader parse(String source) {
    if (!hasHeader(source)) {
      return new CommandHeader(Map.of());
    }
    String text = source.startsWith("\uFEFF") ? source.substring(1) : source;
    String trimmed = text.stripLeading();
    int end = trimmed.indexOf(CLOSE, OPEN.length());
    if (end < 0) {
      throw new InvalidRequestException("body", "command header /*CMD is not closed by CMD*/");
    }
    String[] lines = trimmed.substring(OPEN.length(), end).split("\r?\n|\r", -1);
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank()) {
        continue;
      }
      // Bots.Business exports write a multi-line answer or keyboard as a block of its own:
      // "<<ANSWER", its lines, "ANSWER" (the key is the tag).
      Matcher block = HEREDOC.matcher(line.trim());
      if (block.matches()) {
        String key = block.group(1).toLowerCase(Locale.ROOT);
        Block b = Block.read(lines, i, key, block.group(1));
        values.put(key, b.value());
        i = b.end();
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        // Exports from Bots.Business carry only key: value lines; anything else is not ours.
        continue;
      }
      String key = m.group(1).toLowerCase(Locale.ROOT);
      String value = m.group(2).trim();
      Matcher heredoc = HEREDOC.matcher(value);
      if (heredoc.matches()) {
        Block b = Block.read(lines, i, key, heredoc.group(1));
        value = b.value();
        i = b.end();
      }
      values.put(key, value);
    }
    return new CommandHeader(values);
  }

  /** A {@code <<TAG} value: its lines joined, and the index of the line {@code TAG} that ends it. */
  private record Block(String value, int end) {
    /**
     * The block opened on line {@code open}.
     *
     * @throws InvalidRequestException when no line ends it
     */
    static Block read(String[] lines, int open, String key, String tag) {
      for (int j = open + 1; j < lines.length; j++) {
        if (lines[j].trim().equals(tag)) {
          return new Block(String.join("\n", List.of(lines).subList(open + 1, j)), j);
        }
      }
      throw new InvalidRequestException(
          "body", "command header value " + key + ": <<" + tag + " is not ended by " + tag);
    }
  }

  /** The {@code command:} value, if the header names one. */
  public Optional<String> command() {
    return Optional.ofNullable(values.get("command")).filter(v -> !v.isEmpty());
  }

  /** The {@code aliases:} value split at commas, blanks dropped, in order, without repeats. */
  public List<String> aliases() {
    String raw = values.getOrDefault("aliases", "");
    List<String> out = new ArrayList<>();
    for (String part : raw.split(",")) {
      String alias = part.trim();
      if (!alias.isEmpty() && !out.contains(alias)) {
        out.add(alias);
      }
    }
    return out;
  }

  /** The {@code answer:} value, sent before the command runs on Bots.Business. */
  public Optional<String> answer() {
    return Optional.ofNullable(values.get("answer")).filter(v -> !v.isEmpty());
  }

  /** The {@code keyboard:} value (buttons separated by commas, rows by {@code \n}). */
  public Optional<String> keyboard() {
    return Optional.ofNullable(values.get("keyboard")).filter(v -> !v.isEmpty());
  }

  /** The text after the header (and the line breaks that follow it); all of it without one. */
  public static String bodyOf(String source) {
    String text = source.startsWith("\uFEFF") ? source.substring(1) : source;
    if (!hasHeader(text)) {
      return text;
    }
    int end = text.indexOf(CLOSE);
    if (end < 0) {
      return text;
    }
    int start = end + CLOSE.length();
    while (start < text.length() && (text.charAt(start) == '\n' || text.charAt(start) == '\r')) {
      start++;
    }
    return text.substring(start);
  }

  /**
   * Whether the file starts with a header (after a byte order mark and blank space), seen without
   * copying it: every run of a command asks, and most commands have none.
   */
  private static boolean hasHeader(String source) {
    int i = source.startsWith("\uFEFF") ? 1 : 0;
    while (i < source.length() && Character.isWhitespace(source.charAt(i))) {
      i++;
    }
    return source.startsWith(OPEN, i);
  }

  /** The header of a stored body, which was checked when it was uploaded; none if it is not. */
  public static CommandHeader ofStored(String source) {
    try {
      return parse(source);
    } catch (InvalidRequestException e) {
      return new CommandHeader(Map.of());
    }
  }
}
