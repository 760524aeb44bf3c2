package dev.botwebhooks.script;

import org.mozilla.javascript.Context;
import org.mozilla.javascript.ScriptRuntime;

/**
 * The cost model for native work (README "Native work and the deadline"): the instruction
 * observer counts interpreted instructions, and this prices what a built-in does in Java. Before
 * such a built-in runs, its cost is estimated from its arguments (lengths, counts) and charged
 * against the run's deadline: a call whose estimate does not fit the time left is refused with a
 * {@code RangeError} naming the built-in and the size. Where no cheap bound exists, the built-in
 * is replaced by the project's own implementation that checks the deadline as it goes
 * ({@link StringGuards}: chunked search, case mapping; {@link BuiltinGuards}: JSON.stringify).
 *
 * <p>This is the one table of what is charged and why. Rates are nanoseconds per unit, measured
 * on a 2-core machine on the worst inputs found (JDK 21-25) and rounded up about twofold, so a
 * call that is let through ends well inside the 0.5 s past the deadline that a run may take.
 *
 * <table>
 *   <caption>What is charged</caption>
 *   <tr><th>Rate</th><th>Built-ins</th><th>Unit</th><th>Why</th></tr>
 *   <tr><td>{@link Rate#COPY}</td><td>String slice, substring, substr, trim*, startsWith,
 *       endsWith, at/charAt/charCodeAt/codePointAt, match/matchAll/search, the case mapping of
 *       text without special characters</td><td>characters of the text and the arguments</td>
 *       <td>one pass that copies or flattens (a rope of 2^25 characters is flattened on first
 *       read)</td></tr>
 *   <tr><td>{@link Rate#SEARCH}</td><td>String split, replace, replaceAll with a string
 *       pattern</td><td>text length times pattern length</td><td>{@code String.indexOf} compares
 *       up to every pair (2 ns each measured, not vectorised for long patterns)</td></tr>
 *   <tr><td>{@link Rate#PARSE}</td><td>JSON.parse</td><td>characters</td><td>one pass that
 *       builds objects</td></tr>
 *   <tr><td>{@link Rate#SORT}</td><td>Array sort without a comparator</td><td>sum of the
 *       elements' texts times log2 of the length: a string its length, a number or other value
 *       60, an array 200 plus its elements' texts</td><td>each element takes part in about
 *       log2(n) string comparisons, and is turned into text for each one (2e5 random doubles took
 *       0.6-0.8 s; 1e5 one-element arrays 1-1.2 s); the comparisons also tick the run's check
 *       ({@code BuiltinGuards}), so a sort the estimate lets start still ends at the
 *       deadline</td></tr>
 *   <tr><td>{@link Rate#STRINGIFY}</td><td>JSON.stringify, as it goes, against the time left when
 *       it started</td>
 *       <td>characters written times the nesting depth they are written at</td><td>Rhino builds
 *       each nested value's text and copies it into its parent's, so indented deep values cost
 *       their depth times their size (16 arrays 200 deep with a 10-space indent took over 5 s)
 *       </td></tr>
 *   <tr><td>{@link Rate#UNICODE}</td><td>String normalize</td><td>weighted characters: 1 for
 *       ASCII, 1,000 for other characters, 150,000 for combining marks</td><td>{@code Normalizer}
 *       took up to 2 us per character with a long decomposition (U+FDFA) and 0.2 ms per
 *       combining mark in long runs of marks</td></tr>
 *   <tr><td>{@link Rate#ELEMENT}</td><td>the generic Array methods that walk their array
 *       (all but {@code at}, {@code pop} and {@code push}), {@code Array.from}, {@code
 *       Object.keys} and the other key methods, {@code Object.freeze} and {@code seal}, {@code
 *       Reflect.ownKeys}</td><td>the array's length (with concat's arguments; a slice with
 *       numbers, its range), the array-like's length, the object's properties</td><td>on a
 *       sparse array (Rhino keeps one of more than 10,000 elements as a map) each element is a
 *       map entry: one {@code fill}, {@code reverse}, {@code shift}, {@code splice} or {@code
 *       toReversed} over 2^20 elements took 0.24-0.86 s in one Java call, past any check</td></tr>
 *   <tr><td>{@link Rate#NUMBER}</td><td>reading a number from a text of more than 1,024
 *       characters: {@code ToNumber} ({@code +s}, {@code Number}, {@code isNaN}, {@code Math.*},
 *       arithmetic), {@code parseInt}, {@code parseFloat}, and a date from a text ({@code
 *       Date.parse}, {@code new Date(text)}; {@link RhinoHookChecks})</td>
 *       <td>characters</td><td>parsing took 1 to 6 ns per character on texts of 2^23 digits,
 *       hexadecimal digits or exponents; a built-in callback such as {@code Math.atan2} given to
 *       {@code sort} runs no script code, so nothing else checked the deadline between
 *       conversions</td></tr>
 *   <tr><td>{@link Rate#COMPARE}</td><td>comparing two texts of more than 65,536 characters
 *       each ({@code ==}, {@code ===}, {@code <}, {@code Object.is}, the searches of {@code
 *       indexOf}/{@code includes}; {@link RhinoHookChecks})</td><td>characters of the shorter
 *       text</td><td>comparing texts of 2^25 characters took 2 to 5.5 ms (not vectorised for
 *       {@code <}); a loop or an array search of such texts fitted thousands of them between
 *       two checks</td></tr>
 *   <tr><td>{@link Rate#COLLATE}</td><td>String localeCompare</td><td>weighted characters of
 *       both texts: 1 for ASCII, 2 for others, 150 for combining marks</td><td>{@code Collator}
 *       (identical strength, canonical decomposition) took 2 us per ASCII character and up to
 *       0.5 ms per combining mark</td></tr>
 *   <tr><td>{@link Rate#COMPILE}</td><td>{@code eval} and {@code Function} ({@link
 *       CompileGuards})</td><td>characters of source</td><td>compiling took up to 5 us per
 *       character (a megabyte of {@code y;}, inside nested blocks or not, 3.6 to 4.9 s), in one
 *       call no check reaches</td></tr>
 * </table>
 *
 * <p>Not charged but replaced: {@code indexOf}/{@code lastIndexOf}/{@code includes} (worst case
 * text times pattern, with no useful bound: searched in chunks, checking between them); case
 * mapping of text holding characters that expand ({@code ß}) or depend on context ({@code Σ}),
 * for which the JDK's {@code toUpperCase}/{@code toLowerCase} is quadratic (18 s for 65,536
 * {@code ß}): mapped by code point here; {@code JSON.stringify}: counted per value it visits
 * through a replacer of ours, including what {@code toJSON} returns. Iterators, getters,
 * callbacks and every other call into script code tick the run's check where they are entered
 * ({@link SandboxContextFactory}).
 */
final class NativeCost {
  /** Nanoseconds one unit of work may take. */
  enum Rate {
    COPY(2),
    SEARCH(4),
    PARSE(100),
    SORT(4),
    UNICODE(2),
    STRINGIFY(100),
    COLLATE(4_000),
    ELEMENT(1_000),
    NUMBER(12),
    COMPARE(0.5),
    COMPILE(5_000);

    final double nanos;

    Rate(double nanos) {
      this.nanos = nanos;
    }
  }

  private NativeCost() {}

  /**
   * Checks the deadline, then refuses the call when {@code units} of {@code rate} cannot fit the
   * time left.
   *
   * @param what the built-in and the size, for the error: "String.prototype.normalize of 3000
   *     characters"
   */
  static void charge(String what, double units, Rate rate) {
    double nanos = units * rate.nanos;
    if (!fits(nanos)) {
      throw doesNotFit(what, nanos);
    }
  }

  /**
   * As {@link #charge}, for a built-in that walks {@code elements} elements or properties (Rate
   * ELEMENT); the error's text is made only when the call is refused.
   *
   * @param builtin the built-in, for the error: "Array.prototype.fill"
   */
  static void chargeElements(String builtin, double elements) {
    double nanos = elements * Rate.ELEMENT.nanos;
    if (!fits(nanos)) {
      throw doesNotFit(builtin + " of " + (long) elements + " elements", nanos);
    }
  }

  /** Checks the deadline; then whether {@code nanos} of work fit the time left. */
  private static boolean fits(double nanos) {
    Context cx = Context.getCurrentContext();
    if (!(cx instanceof SandboxContextFactory.SandboxContext sandbox)) {
      return true;
    }
    sandbox.check();
    return nanos <= sandbox.nanosLeft();
  }

  private static RuntimeException doesNotFit(String what, double nanos) {
    return ScriptRuntime.rangeError(
        what + " does not fit the time left for this run (about "
            + (long) Math.ceil(nanos / 1e6) + " ms of work)");
  }

  /** Units of {@link Rate#UNICODE} to normalize a text. */
  static double normalizeWeight(CharSequence text, double cap) {
    return weight(text, cap, 1, 1_000, 150_000);
  }

  /** Units of {@link Rate#COLLATE} to collate a text. */
  static double collationWeight(CharSequence text, double cap) {
    return weight(text, cap, 1, 2, 150);
  }

  /**
   * A text's weighted length, in one pass: ASCII, other characters and combining marks each
   * weigh their own; the scan stops past {@code cap}, where the answer no longer matters.
   */
  private static double weight(CharSequence text, double cap, int ascii, int other, int mark) {
    double total = 0;
    int n = text.length();
    for (int i = 0; i < n && total <= cap; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        total += ascii;
      } else {
        int type = Character.getType(c);
        total +=
            type == Character.NON_SPACING_MARK
                    || type == Character.ENCLOSING_MARK
                    || type == Character.COMBINING_SPACING_MARK
                ? mark
                : other;
      }
    }
    return total;
  }

  /** The most units of {@code rate} that could fit the time left, for capping a pre-scan. */
  static double unitsLeft(Rate rate) {
    Context cx = Context.getCurrentContext();
    if (!(cx instanceof SandboxContextFactory.SandboxContext sandbox)) {
      return Double.MAX_VALUE;
    }
    return Math.max(0, sandbox.nanosLeft()) / rate.nanos;
  }
}
