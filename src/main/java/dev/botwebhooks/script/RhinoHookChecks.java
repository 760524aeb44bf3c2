package dev.botwebhooks.script;

import static dev.botwebhooks.script.BuiltinGuards.MAX_ARRAY_LENGTH;
import static dev.botwebhooks.script.BuiltinGuards.refuse;

import java.util.Arrays;
import org.mozilla.javascript.ScriptRuntime;

/**
 * Checks that Rhino's own classes call, where a loop of theirs runs in Java over a size a script
 * chose, with no instruction counted (the calls are put there at build time by {@code
 * src/build/RhinoHooks.java}; src/rhino-patch/README.md; README "Native work and the deadline").
 */
public final class RhinoHookChecks {
  /**
   * The longest number text converted without a charge: parsing takes 1 to 6 ns per character
   * (measured on texts of 2^23 characters), so shorter texts cost under 10 us.
   */
  static final int FREE_NUMBER_TEXT_CHARS = 1024;

  /** The longest array-like a regular expression's exec may answer on the generic path. */
  static final long MAX_REGEXP_RESULT_LENGTH = 1 << 16;

  private RhinoHookChecks() {}

  /**
   * Before {@code NativeString.getIds} lists a string's keys: one key per character in one Java
   * call (a {@code for-in} over a string of 2^25 characters took 0.5 to 1.1 s and about 660 MB).
   * A string with more keys than a generic Array method may walk is refused, as {@code
   * Object.keys} refuses it.
   */
  public static void stringKeys(CharSequence string) {
    if (string.length() > MAX_ARRAY_LENGTH) {
      throw refuse(
          "listing the keys of a string of " + string.length() + " characters (more than "
              + MAX_ARRAY_LENGTH + ", as a for-in loop does)");
    }
  }

  /**
   * Before a text is read as a number ({@code ToNumber}: {@code +s}, {@code Number}, {@code
   * isNaN}, {@code Math.*}, arithmetic; {@code parseInt}, {@code parseFloat}): a long text is
   * charged against the deadline, since a loop converting a text of 2^23 digits took 10 to 50 ms
   * a conversion, and thousands of them fall between two checks of the instruction count (or
   * two comparisons of a sort with {@code Math.atan2} as its comparator).
   *
   * @return the text, for a call put after the one that made it
   */
  public static String numberText(String text) {
    chargeParse("a number", text);
    return text;
  }

  /** The shortest texts whose comparison is charged: shorter ones take under 10 us. */
  static final int FREE_COMPARED_CHARS = 1 << 16;

  /**
   * Before two values are compared ({@code ==}, {@code ===}, {@code <}, {@code Object.is}, the
   * searches of {@code indexOf}/{@code includes}): two long texts are charged, by the shorter's
   * length, since comparing texts of 2^25 characters took 2 to 5.5 ms, thousands of them fitted
   * between two checks of the instruction count, and a search of an array of such texts ran in
   * one Java call.
   */
  public static void comparison(Object a, Object b) {
    if (a instanceof CharSequence x && b instanceof CharSequence y) {
      int shorter = Math.min(x.length(), y.length());
      if (shorter > FREE_COMPARED_CHARS) {
        NativeCost.charge(
            "comparing texts of " + shorter + " characters", shorter, NativeCost.Rate.COMPARE);
      }
    }
  }

  /**
   * Before a date is read from a text ({@code Date.parse}, {@code new Date(text)}): parsing took
   * about 4 ns a character (15 ms for 2^22), charged past 1,024 characters as a number's text is.
   */
  public static void dateText(String text) {
    chargeParse("a date", text);
  }

  private static void chargeParse(String what, String text) {
    if (text.length() > FREE_NUMBER_TEXT_CHARS) {
      NativeCost.charge(
          "reading " + what + " from a text of " + text.length() + " characters",
          text.length(),
          NativeCost.Rate.NUMBER);
    }
  }

  /**
   * After the generic {@code RegExp.prototype[Symbol.replace]} and {@code [Symbol.split]} read
   * the {@code length} of what {@code exec} answered (an exec of the script's own may answer any
   * object): they read that many captures in one Java loop, so a fake length of 10^9 ran for
   * seconds past the deadline.
   *
   * @return the length, for the loop
   */
  public static long regExpResultLength(long length) {
    if (length > MAX_REGEXP_RESULT_LENGTH) {
      throw refuse(
          "a regular expression result of length " + length + " (more than "
              + MAX_REGEXP_RESULT_LENGTH + " captures)");
    }
    return length;
  }

  /**
   * The most groups and alternatives a regular expression may have open at once, a group counting
   * two ({@link #regExpSource}).
   */
  static final int MAX_REGEXP_NESTING = 5000;

  /**
   * Before a regular expression is compiled (a literal, {@code new RegExp}, {@code compile}, a
   * text pattern given to {@code match}, {@code search}, {@code replace} or {@code split}): Rhino's
   * pattern parser recurses once per group it is in (three calls) and once per alternative of each
   * open disjunction (a pattern of 15,000 nested groups or 40,000 alternatives overflowed the run's
   * 8 MiB Java stack, at a depth the script chose, where a class's initialisation may fall). Counted
   * here in one pass: a group open counts two, an alternative ({@code |}) one until its group
   * closes; escapes and character classes are skipped as the parser skips them. Past {@link
   * #MAX_REGEXP_NESTING} the pattern is refused with a {@code SyntaxError} (about 2 MiB of stack;
   * a list of 5,000 words as alternatives still compiles).
   */
  public static void regExpSource(String source, boolean flat) {
    if (flat) {
      return; // a text searched for as it is (split and replace by text): not parsed
    }
    int open = 0;
    int groups = 0;
    int[] alternatives = new int[16];
    boolean inClass = false;
    for (int i = 0; i < source.length(); i++) {
      char c = source.charAt(i);
      if (c == '\\') {
        i++;
      } else if (inClass) {
        inClass = c != ']';
      } else if (c == '[') {
        inClass = true;
      } else if (c == '(') {
        groups++;
        if (groups == alternatives.length) {
          alternatives = Arrays.copyOf(alternatives, groups * 2);
        }
        alternatives[groups] = 0;
        open += 2;
      } else if (c == ')' && groups > 0) {
        open -= 2 + alternatives[groups];
        groups--;
      } else if (c == '|') {
        alternatives[groups]++;
        open++;
      }
      if (open > MAX_REGEXP_NESTING) {
        throw ScriptRuntime.constructError(
            "SyntaxError",
            "regular expression nested too deep: more than " + MAX_REGEXP_NESTING
                + " groups and alternatives open at once (a group counts two)");
      }
    }
  }
}
