package dev.botwebhooks.core;

import java.util.Arrays;
import java.util.Objects;

/**
 * The form of a command or library body that the engine runs when the body as written uses
 * syntax it does not parse (README "Transpiling at upload"): the transpiled body, and for each of
 * its lines the line of the uploaded file it came from, so that errors name the user's line.
 *
 * @param code a function body, as the uploaded source is one
 * @param lines {@code lines[i]} is the uploaded file's line of the code's line {@code i + 1}
 */
public record Transpiled(String code, int[] lines) {
  public Transpiled {
    Objects.requireNonNull(code, "code");
    lines = lines.clone();
  }

  /** The uploaded file's line of a line of the code (the line itself past the table). */
  public int sourceLine(int codeLine) {
    if (codeLine < 1 || lines.length == 0) {
      return codeLine;
    }
    return lines[Math.min(codeLine, lines.length) - 1];
  }

  /** The line table as stored: the lines separated by commas. */
  public String linesText() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      out.append(i == 0 ? "" : ",").append(lines[i]);
    }
    return out.toString();
  }

  /** The line table from its stored text. */
  public static int[] parseLines(String text) {
    if (text == null || text.isEmpty()) {
      return new int[0];
    }
    return Arrays.stream(text.split(",")).mapToInt(Integer::parseInt).toArray();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Transpiled r && r.code.equals(code) && Arrays.equals(r.lines, lines);
  }

  @Override
  public int hashCode() {
    return 31 * code.hashCode() + Arrays.hashCode(lines);
  }

  @Override
  public String toString() {
    return "Transpiled[" + code.length() + " chars, " + lines.length + " lines]";
  }
}
