package dev.botwebhooks.script;

import static dev.botwebhooks.script.BuiltinGuards.arg;
import static dev.botwebhooks.script.BuiltinGuards.replace;
import static dev.botwebhooks.script.BuiltinGuards.stringLength;
import static dev.botwebhooks.script.BuiltinGuards.wrap;

import dev.botwebhooks.script.NativeCost.Rate;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.mozilla.javascript.ConsString;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.Function;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;
import org.mozilla.javascript.Undefined;
import org.mozilla.javascript.regexp.NativeRegExp;

/**
 * The String built-ins under the cost model ({@link NativeCost}): each is charged, or replaced
 * where the JDK call has no cheap bound (search, case mapping). Rhino's non-standard generic
 * statics ({@code String.indexOf(s, x)}, {@code String.toLowerCase(s)}, ...) are removed: they
 * would be a second, unguarded way to the same work.
 */
final class StringGuards {
  /** Work (text positions times pattern length) of one search step between two checks. */
  static final long SEARCH_CHUNK = 1 << 20;

  /** Characters mapped between two checks. */
  private static final int CASE_CHUNK = 1 << 12;

  /** Text up to this long goes to the JDK whatever it holds (at most ~0.1 s, measured). */
  private static final int JDK_CASE_MAX = 512;

  /** Statics of the String constructor that stay. */
  private static final Set<String> STATICS =
      Set.of("fromCharCode", "fromCodePoint", "raw", "prototype", "length", "name");

  /**
   * Text a regular expression with a backreference may search. Rhino counts a backreference's
   * comparison of the whole captured text as one step, and checks the deadline once per
   * thousand steps: over 2^16 characters that is about 50 ms between two checks at most.
   */
  static final int BACKREFERENCE_TEXT_MAX = 1 << 16;

  private static final Pattern BACKREFERENCE = Pattern.compile("\\\\[1-9]|\\\\k<");

  /**
   * Refuses a search by a regular expression with a backreference ({@code \1}, {@code \k<name>})
   * over more than {@link #BACKREFERENCE_TEXT_MAX} characters.
   */
  static void checkBackreferences(String what, Object pattern, Object text) {
    if (pattern instanceof NativeRegExp re
        && stringLength(text) > BACKREFERENCE_TEXT_MAX
        && BACKREFERENCE.matcher(re.toString()).find()) {
      throw ScriptRuntime.rangeError(
          what + " by a regular expression with a backreference over "
              + (long) stringLength(text) + " characters (at most " + BACKREFERENCE_TEXT_MAX
              + ") is too slow for a webhook command");
    }
  }

  /** Methods charged one pass over their text and arguments. */
  private static final String[] ONE_PASS = {
    "slice", "substring", "substr", "trim", "trimStart", "trimEnd", "trimLeft", "trimRight",
    "startsWith", "endsWith", "match", "matchAll", "search", "toWellFormed", "isWellFormed"
  };

  private static final char CAPITAL_SIGMA = '\u03a3';
  private static final char CAPITAL_I_DOT = '\u0130';

  /** Characters of the BMP whose upper case is longer than one character (ß, ŉ, ﬀ, ...). */
  private static volatile BitSet expandingUpper;

  /** The upper case of each of them. */
  private static final java.util.Map<Character, String> UPPER_EXPANSIONS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private StringGuards() {}

  static void install(ScriptableObject scope) {
    BuiltinGuards.keepOnly((Scriptable) ScriptableObject.getProperty(scope, "String"), STATICS);
    Scriptable proto = ScriptableObject.getClassPrototype(scope, "String");
    for (String name : ONE_PASS) {
      String what = "String.prototype." + name;
      wrap(scope, proto, name, what, (cx, s, t, a) -> {
        NativeCost.charge(what + " of " + (long) stringLength(t) + " characters",
            stringLength(t) + stringLength(arg(a, 0)), Rate.COPY);
        checkBackreferences(what, arg(a, 0), t);
      });
    }
    for (String name : new String[] {"split", "replace", "replaceAll"}) {
      String what = "String.prototype." + name;
      wrap(scope, proto, name, what, (cx, s, t, a) -> {
        Object pattern = arg(a, 0);
        checkBackreferences(what, pattern, t);
        if (!(pattern instanceof Scriptable)) {
          double n = stringLength(t);
          double m = Math.max(1, stringLength(pattern));
          NativeCost.charge(what + " of " + (long) n + " characters by a pattern of " + (long) m,
              n * m, Rate.SEARCH);
        }
      });
    }
    replace(scope, proto, "indexOf", (cx, s, fn, t, a) -> {
      if (small(t, arg(a, 0))) {
        return fn.call(cx, s, t, a);
      }
      String text = ScriptRuntime.toString(t);
      String pattern = ScriptRuntime.toString(arg(a, 0));
      return (double) indexOf(text, pattern, clamp(ScriptRuntime.toInteger(arg(a, 1)), text));
    });
    replace(scope, proto, "includes", (cx, s, fn, t, a) -> {
      if (small(t, arg(a, 0)) || arg(a, 0) instanceof Scriptable) {
        return fn.call(cx, s, t, a);
      }
      String text = ScriptRuntime.toString(t);
      String pattern = ScriptRuntime.toString(arg(a, 0));
      return indexOf(text, pattern, clamp(ScriptRuntime.toInteger(arg(a, 1)), text)) >= 0;
    });
    replace(scope, proto, "lastIndexOf", (cx, s, fn, t, a) -> {
      if (small(t, arg(a, 0))) {
        return fn.call(cx, s, t, a);
      }
      String text = ScriptRuntime.toString(t);
      String pattern = ScriptRuntime.toString(arg(a, 0));
      double pos = ScriptRuntime.toNumber(arg(a, 1));
      int from = Double.isNaN(pos) ? text.length() : clamp(ScriptRuntime.toInteger(pos), text);
      return (double) lastIndexOf(text, pattern, from);
    });
    replace(scope, proto, "toUpperCase", (cx, s, fn, t, a) -> upper(fn, cx, s, t, a, false));
    replace(scope, proto, "toLocaleUpperCase", (cx, s, fn, t, a) -> upper(fn, cx, s, t, a, true));
    replace(scope, proto, "toLowerCase", (cx, s, fn, t, a) -> lower(fn, cx, s, t, a, false));
    replace(scope, proto, "toLocaleLowerCase", (cx, s, fn, t, a) -> lower(fn, cx, s, t, a, true));
    wrap(scope, proto, "normalize", "String.prototype.normalize", (cx, s, t, a) -> {
      CharSequence text = ScriptRuntime.toCharSequence(t);
      double units = NativeCost.normalizeWeight(text, NativeCost.unitsLeft(Rate.UNICODE) + 1);
      NativeCost.charge(
          "String.prototype.normalize of " + text.length() + " characters", units, Rate.UNICODE);
    });
    replace(scope, proto, "localeCompare", (cx, s, fn, t, a) -> {
      long calls = SandboxContextFactory.SandboxContext.callsOf(cx);
      CharSequence text = ScriptRuntime.toCharSequence(t);
      CharSequence other = ScriptRuntime.toCharSequence(arg(a, 0));
      double cap = NativeCost.unitsLeft(Rate.COLLATE) + 1;
      double units = NativeCost.collationWeight(text, cap) + NativeCost.collationWeight(other, cap);
      NativeCost.charge("String.prototype.localeCompare of " + text.length() + " and "
          + other.length() + " characters", units, Rate.COLLATE);
      BuiltinGuards.refuseIfScriptRan(cx, "String.prototype.localeCompare", calls);
      Object[] args = a.length == 0 ? new Object[1] : a.clone();
      args[0] = other;
      return fn.call(cx, s, t, args);
    });
  }

  /** Whether a search of {@code pattern} in {@code text} is cheap whatever they hold. */
  private static boolean small(Object text, Object pattern) {
    return stringLength(text) * Math.max(1, stringLength(pattern)) <= SEARCH_CHUNK;
  }

  private static int clamp(double position, String text) {
    return (int) Math.max(0, Math.min(position, text.length()));
  }

  /**
   * {@code text.indexOf(pattern, from)}, in windows of at most {@link #SEARCH_CHUNK} steps of
   * work, checking the deadline before each.
   */
  static int indexOf(String text, String pattern, int from) {
    int n = text.length();
    int m = pattern.length();
    if (m == 0) {
      return from;
    }
    long step = Math.max(1, SEARCH_CHUNK / m);
    for (long lo = from; lo + m <= n; lo += step) {
      SandboxContextFactory.SandboxContext.checkCurrent();
      int hi = (int) Math.min(n, lo + step + m - 1);
      int found = text.indexOf(pattern, (int) lo, hi);
      if (found >= 0) {
        return found;
      }
    }
    return -1;
  }

  /**
   * {@code text.lastIndexOf(pattern, from)}, position by position from the end, checking the
   * deadline every {@link #SEARCH_CHUNK} steps of work (no copies).
   */
  static int lastIndexOf(String text, String pattern, int from) {
    int m = pattern.length();
    long step = Math.max(1, SEARCH_CHUNK / Math.max(1, m));
    long sinceCheck = 0;
    for (int pos = Math.min(from, text.length() - m); pos >= 0; pos--) {
      if (++sinceCheck == step) {
        sinceCheck = 0;
        SandboxContextFactory.SandboxContext.checkCurrent();
      }
      if (text.regionMatches(pos, pattern, 0, m)) {
        return pos;
      }
    }
    return -1;
  }

  // ---- case mapping ---------------------------------------------------------------------------

  /**
   * The JDK maps text whose case changes its length (ß to SS, İ to i̇) or depends on context
   * (final Σ) in quadratic time. Such text is mapped here, one code point at a time; other text
   * goes to the JDK, charged one pass.
   */
  private static Object upper(
      Function fn, Context cx, Scriptable s, Scriptable t, Object[] a, boolean locale) {
    long calls = SandboxContextFactory.SandboxContext.callsOf(cx);
    String text = ScriptRuntime.toString(t);
    String what = "String.prototype.to" + (locale ? "Locale" : "") + "UpperCase";
    if (text.length() <= JDK_CASE_MAX || !needsOwnUpper(text)) {
      NativeCost.charge(what + " of " + text.length() + " characters", text.length(), Rate.COPY);
      BuiltinGuards.refuseIfScriptRan(cx, what, calls);
      return fn.call(cx, s, t, a);
    }
    refuseSpecialLocale(what, a, locale, text.length());
    BitSet expanding = expandingUpper();
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); ) {
      tick(i, out, what);
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (cp < 0x10000 && expanding.get(cp)) {
        out.append(
            UPPER_EXPANSIONS.computeIfAbsent(
                (char) cp, c -> String.valueOf(c).toUpperCase(Locale.ROOT)));
      } else {
        out.appendCodePoint(Character.toUpperCase(cp));
      }
    }
    return out.toString();
  }

  private static Object lower(
      Function fn, Context cx, Scriptable s, Scriptable t, Object[] a, boolean locale) {
    long calls = SandboxContextFactory.SandboxContext.callsOf(cx);
    String text = ScriptRuntime.toString(t);
    String what = "String.prototype.to" + (locale ? "Locale" : "") + "LowerCase";
    if (text.length() <= JDK_CASE_MAX
        || (text.indexOf(CAPITAL_SIGMA) < 0 && text.indexOf(CAPITAL_I_DOT) < 0)) {
      NativeCost.charge(what + " of " + text.length() + " characters", text.length(), Rate.COPY);
      BuiltinGuards.refuseIfScriptRan(cx, what, calls);
      return fn.call(cx, s, t, a);
    }
    refuseSpecialLocale(what, a, locale, text.length());
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); ) {
      tick(i, out, what);
      int cp = text.codePointAt(i);
      if (cp == CAPITAL_I_DOT) {
        out.append("i\u0307");
      } else if (cp == CAPITAL_SIGMA) {
        out.append(finalSigma(text, i) ? '\u03c2' : '\u03c3');
      } else {
        out.appendCodePoint(Character.toLowerCase(cp));
      }
      i += Character.charCount(cp);
    }
    return out.toString();
  }

  private static void tick(int i, StringBuilder out, String what) {
    if ((i & (CASE_CHUNK - 1)) == 0) {
      SandboxContextFactory.SandboxContext.checkCurrent();
      if (out.length() > ConsString.MAX_LENGTH) {
        throw ScriptRuntime.rangeError(what + ": result longer than " + ConsString.MAX_LENGTH);
      }
    }
  }

  /** Turkish, Azeri and Lithuanian case rules are the JDK's alone; long special text is refused. */
  private static void refuseSpecialLocale(String what, Object[] a, boolean locale, int length) {
    if (!locale) {
      return;
    }
    Object tag = arg(a, 0);
    String language =
        tag == Undefined.instance
            ? Locale.getDefault().getLanguage()
            : ScriptRuntime.toString(tag).toLowerCase(Locale.ROOT);
    if (language.startsWith("tr") || language.startsWith("az") || language.startsWith("lt")) {
      throw ScriptRuntime.rangeError(what + " in locale '" + language + "' of " + length
          + " characters with special casing is too large for a webhook command");
    }
  }

  private static boolean needsOwnUpper(String text) {
    BitSet expanding = expandingUpper();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x80 && (expanding.get(c) || Character.isSurrogate(c))) {
        return true;
      }
      if (c == '\u00df') {
        return true;
      }
    }
    return false;
  }

  private static BitSet expandingUpper() {
    BitSet set = expandingUpper;
    if (set == null) {
      set = new BitSet(0x10000);
      char[] one = new char[1];
      for (int c = 0x80; c < 0x10000; c++) {
        if (Character.isSurrogate((char) c)) {
          continue;
        }
        one[0] = (char) c;
        if (new String(one).toUpperCase(Locale.ROOT).length() > 1) {
          set.set(c);
        }
      }
      expandingUpper = set;
    }
    return set;
  }

  /**
   * Unicode's Final_Sigma: a capital sigma preceded by a cased letter and not followed by one,
   * skipping case-ignorable characters both ways (each scan stops at the first other character,
   * so the whole mapping stays linear).
   */
  static boolean finalSigma(String text, int at) {
    int i = at;
    boolean casedBefore = false;
    while (i > 0) {
      int cp = text.codePointBefore(i);
      i -= Character.charCount(cp);
      if (!caseIgnorable(cp)) {
        casedBefore = cased(cp);
        break;
      }
    }
    if (!casedBefore) {
      return false;
    }
    i = at + 1;
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (!caseIgnorable(cp)) {
        return !cased(cp);
      }
    }
    return true;
  }

  private static boolean cased(int cp) {
    return Character.isUpperCase(cp) || Character.isLowerCase(cp) || Character.isTitleCase(cp);
  }

  private static final int[] IGNORABLE_PUNCTUATION = {
    '\'', '.', ':', '^', '`', 0xb7, 0x2018, 0x2019, 0x2024, 0xfe52, 0xff07, 0xff0e
  };

  private static boolean caseIgnorable(int cp) {
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK
        || type == Character.ENCLOSING_MARK
        || type == Character.FORMAT
        || type == Character.MODIFIER_LETTER
        || type == Character.MODIFIER_SYMBOL
        || Arrays.binarySearch(IGNORABLE_PUNCTUATION, cp) >= 0;
  }
}
