package dev.botwebhooks.script;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.NumberFormat;
import java.util.Arrays;
import java.util.Currency;
import java.util.IllformedLocaleException;
import java.util.Locale;
import java.util.Set;
import org.mozilla.javascript.LambdaFunction;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;
import org.mozilla.javascript.Undefined;

/**
 * {@code Number.prototype.toLocaleString(locales, options)} as browsers answer it, for the
 * locales Java knows: Rhino's own throws a {@code RangeError} for any locale. Without a locale the
 * format is {@code en-US}; {@code options} understands {@code style} ({@code decimal},
 * {@code percent}, {@code currency} with {@code currency}), {@code minimumFractionDigits},
 * {@code maximumFractionDigits} and {@code useGrouping}.
 */
final class LocaleNumbers {
  private static final BoundedText TAG = BoundedText.scriptError("locale", 64);
  private static final BoundedText OPTION = BoundedText.scriptError("toLocaleString option", 16);

  private LocaleNumbers() {}

  static void install(ScriptableObject scope) {
    ScriptableObject proto = (ScriptableObject) ScriptableObject.getClassPrototype(scope, "Number");
    proto.defineProperty(
        "toLocaleString",
        new LambdaFunction(
            scope,
            "toLocaleString",
            0,
            (cx, s, thisObj, args) ->
                format(thisObj, ScriptArgs.arg(args, 0), ScriptArgs.arg(args, 1))),
        ScriptableObject.DONTENUM);
  }

  static String format(Object self, Object locales, Object options) {
    boolean wrapped = self instanceof Scriptable s && "Number".equals(s.getClassName());
    if (!(self instanceof Number) && !wrapped) {
      throw ScriptRuntime.typeError("Number.prototype.toLocaleString called on a non-number");
    }
    double d = ScriptRuntime.toNumber(self);
    Locale locale = locale(locales);
    Scriptable opts = options instanceof Scriptable o ? o : null;
    String style = opts == null ? "decimal" : text(opts, "style", "decimal");
    NumberFormat nf;
    int minFraction = 0;
    int maxFraction = 3;
    switch (style) {
      case "decimal" -> nf = NumberFormat.getNumberInstance(locale);
      case "percent" -> {
        nf = NumberFormat.getPercentInstance(locale);
        maxFraction = 0;
      }
      case "currency" -> {
        String code = text(opts, "currency", "");
        Currency currency;
        try {
          currency = Currency.getInstance(code.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw ScriptRuntime.rangeError("Invalid currency code : " + code);
        }
        nf = NumberFormat.getCurrencyInstance(locale);
        nf.setCurrency(currency);
        minFraction = Math.max(0, currency.getDefaultFractionDigits());
        maxFraction = minFraction;
      }
      default -> throw ScriptRuntime.rangeError("Value " + style + " out of range for style");
    }
    if (opts != null) {
      minFraction = digits(opts, "minimumFractionDigits", minFraction);
      maxFraction = Math.max(minFraction, digits(opts, "maximumFractionDigits", maxFraction));
      Object grouping = ScriptableObject.getProperty(opts, "useGrouping");
      if (grouping != Scriptable.NOT_FOUND && grouping != Undefined.instance) {
        nf.setGroupingUsed(ScriptRuntime.toBoolean(grouping));
      }
    }
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "∞" : "-∞";
    }
    nf.setMinimumFractionDigits(minFraction);
    nf.setMaximumFractionDigits(maxFraction);
    nf.setRoundingMode(RoundingMode.HALF_UP);
    return nf.format(BigDecimal.valueOf(d));
  }

  /**
   * The locale a script names, as one of the JDK's own (language, script and region, else the
   * language alone, else en-US), with the digits its {@code -u-nu-} extension asks for: the JDK keeps the resources of every distinct locale it formats
   * with for the life of the process, so locales made up of a script's tags ({@code
   * en-x-<counter>}, extensions, variants) would grow the heap without bound (100,000 tags kept
   * 130 MB), slowing every later run of every bot. Other extensions and variants are dropped (the
   * formats take their options as arguments).
   */
  static Locale locale(Object locales) {
    Object first = locales;
    if (locales instanceof Scriptable s && "Array".equals(s.getClassName())) {
      first = ScriptableObject.getProperty(s, 0);
      if (first == Scriptable.NOT_FOUND) {
        first = Undefined.instance;
      }
    }
    if (ScriptArgs.absent(first)) {
      return Locale.US;
    }
    String tag = TAG.read(first);
    Locale named;
    try {
      named = new Locale.Builder().setLanguageTag(tag).build();
    } catch (IllformedLocaleException e) {
      throw ScriptRuntime.rangeError("Incorrect locale information provided");
    }
    Locale plain =
        new Locale.Builder()
            .setLanguage(named.getLanguage())
            .setScript(named.getScript())
            .setRegion(named.getCountry())
            .build();
    Locale known = Known.LOCALES.contains(plain) ? plain : Locale.of(named.getLanguage());
    if (!Known.LOCALES.contains(known)) {
      known = Locale.US;
    }
    // The digits asked for (ar-EG-u-nu-latn for Latin digits in Arabic, th-TH-u-nu-thai), from a
    // fixed list, so that the locales stay few.
    String digits = named.getUnicodeLocaleType("nu");
    return digits != null && Known.NUMBERING_SYSTEMS.contains(digits)
        ? new Locale.Builder().setLocale(known).setUnicodeLocaleKeyword("nu", digits).build()
        : known;
  }

  /** The JDK's locales, read when a script first names one. */
  private static final class Known {
    static final Set<Locale> LOCALES = Set.copyOf(Arrays.asList(Locale.getAvailableLocales()));
    static final Set<String> NUMBERING_SYSTEMS =
        Set.of(
            "arab", "arabext", "bali", "beng", "deva", "fullwide", "gujr", "guru", "hanidec",
            "khmr", "knda", "laoo", "latn", "limb", "mlym", "mong", "mymr", "orya", "tamldec",
            "telu", "thai", "tibt");
  }

  private static String text(Scriptable opts, String name, String fallback) {
    Object v = ScriptableObject.getProperty(opts, name);
    return v == Scriptable.NOT_FOUND || v == Undefined.instance ? fallback : OPTION.read(v);
  }

  private static int digits(Scriptable opts, String name, int fallback) {
    Object v = ScriptableObject.getProperty(opts, name);
    if (v == Scriptable.NOT_FOUND || v == Undefined.instance) {
      return fallback;
    }
    double n = ScriptRuntime.toNumber(v);
    if (Double.isNaN(n) || n < 0 || n > 100) {
      throw ScriptRuntime.rangeError(name + " value is out of range.");
    }
    return (int) n;
  }
}
