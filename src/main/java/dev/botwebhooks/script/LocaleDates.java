package dev.botwebhooks.script;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.FormatStyle;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.mozilla.javascript.Callable;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.LambdaFunction;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;

/**
 * {@code Date.prototype.toLocaleString}, {@code toLocaleDateString} and {@code toLocaleTimeString}
 * as browsers answer them, for the locales Java knows (README "The script API"): Rhino's ignore
 * their options, {@code timeZone} among them, and write a two-digit year, which {@code new Date}
 * then reads a hundred years early. The options are those of {@code Intl.DateTimeFormat}: the
 * fields ({@code weekday}, {@code era}, {@code year}, {@code month}, {@code day}, {@code hour},
 * {@code minute}, {@code second}, {@code timeZoneName}) make a skeleton that Java turns into the
 * locale's pattern, as ICU does for browsers; {@code dateStyle} and {@code timeStyle} take the
 * locale's styles; {@code hour12}, {@code hourCycle} and {@code timeZone} as in browsers. Without a
 * locale the format is {@code en-US}, without a time zone the run's. Spaces are plain spaces
 * (newer browsers put a narrow no-break space before AM and PM, which {@code new Date} here does
 * not read back).
 */
final class LocaleDates {
  private static final BoundedText OPTION = BoundedText.scriptError("toLocaleString option", 64);

  /** Which fields a method shows when its options name none of them. */
  private enum Defaults {
    ALL,
    DATE,
    TIME
  }

  private LocaleDates() {}

  static void install(ScriptableObject scope) {
    ScriptableObject proto = (ScriptableObject) ScriptableObject.getClassPrototype(scope, "Date");
    // The time value, read with the built-in a script cannot replace.
    if (!(proto.get("getTime", proto) instanceof Callable getTime)) {
      return;
    }
    define(scope, proto, "toLocaleString", getTime, Defaults.ALL);
    define(scope, proto, "toLocaleDateString", getTime, Defaults.DATE);
    define(scope, proto, "toLocaleTimeString", getTime, Defaults.TIME);
  }

  private static void define(
      ScriptableObject scope, ScriptableObject proto, String name, Callable getTime, Defaults d) {
    proto.defineProperty(
        name,
        new LambdaFunction(
            scope,
            name,
            0,
            (cx, s, thisObj, args) ->
                format(
                    cx, s, getTime, thisObj, ScriptArgs.arg(args, 0), ScriptArgs.arg(args, 1), d)),
        ScriptableObject.DONTENUM);
  }

  private static String format(
      Context cx,
      Scriptable scope,
      Callable getTime,
      Scriptable self,
      Object locales,
      Object options,
      Defaults defaults) {
    double time = ScriptRuntime.toNumber(getTime.call(cx, scope, self, ScriptRuntime.emptyArgs));
    Locale locale = LocaleNumbers.locale(locales);
    Scriptable opts = options instanceof Scriptable o ? o : null;
    ZoneId zone = zone(cx, opts);
    Object pattern = formatter(opts, defaults);
    if (Double.isNaN(time)) {
      return "Invalid Date";
    }
    ZonedDateTime at = Instant.ofEpochMilli((long) time).atZone(zone);
    DateTimeFormatter formatter =
        pattern instanceof DateTimeFormatter styled
            ? styled.withLocale(locale)
            : resolved((Skeleton) pattern, locale, isOffset(zone));
    return formatter.format(at).replace('\u202f', ' ').replace('\u00a0', ' ');
  }

  private static ZoneId zone(Context cx, Scriptable opts) {
    String name = opts == null ? null : option(opts, "timeZone");
    if (name == null) {
      return cx.getTimeZone().toZoneId();
    }
    ZoneId zone;
    try {
      zone = ZoneId.of(name, ZoneId.SHORT_IDS);
    } catch (DateTimeException e) {
      // Browsers take the names in any case (europe/moscow).
      String id = ZonesByLowerCase.IDS.get(name.toLowerCase(Locale.ROOT));
      if (id == null) {
        throw ScriptRuntime.rangeError("Invalid time zone specified: " + name);
      }
      return ZoneId.of(id);
    }
    if (!isOffset(zone)) {
      return zone;
    }
    // An offset (+01:30, UTC+01:30, GMT+1): in whole minutes, as Intl takes them, and as one id
    // per offset. The JDK keeps the display names of every zone id it formats a name for, for the
    // life of the process, and offsets in seconds under three prefixes made 390,000 ids (14 MB a
    // hit kept); offsets' names are written from the offset itself ("GMT+01:30", see resolved).
    ZoneOffset offset = (ZoneOffset) zone.normalized();
    if (offset.getTotalSeconds() % 60 != 0) {
      throw ScriptRuntime.rangeError("Invalid time zone specified: " + name);
    }
    return ZoneId.ofOffset("GMT", offset);
  }

  /** A zone that is an offset, bare or after UTC, GMT or UT (not a region such as Etc/GMT+1). */
  private static boolean isOffset(ZoneId zone) {
    String id = zone.getId();
    return zone instanceof ZoneOffset
        || (id.startsWith("UTC") || id.startsWith("GMT") || id.startsWith("UT"))
            && (id.indexOf('+') > 0 || id.indexOf('-') > 0);
  }

  /** The IANA names by their lower case, read when first needed (not in a cold start). */
  private static final class ZonesByLowerCase {
    static final Map<String, String> IDS = new HashMap<>();

    static {
      for (String id : ZoneId.getAvailableZoneIds()) {
        IDS.put(id.toLowerCase(Locale.ROOT), id);
      }
    }
  }

  /**
   * The fields to write, as a skeleton's letters, with the hour letter a cycle asks and the zone
   * name's letters, which are put in the locale's pattern after it is found.
   */
  private record Skeleton(String letters, String cycle, String zoneName) {}

  /** A styled formatter, or a {@link Skeleton}. */
  private static Object formatter(Scriptable opts, Defaults defaults) {
    String dateStyle = opts == null ? null : option(opts, "dateStyle");
    String timeStyle = opts == null ? null : option(opts, "timeStyle");
    if (dateStyle != null || timeStyle != null) {
      if (dateStyle != null && timeStyle != null) {
        return DateTimeFormatter.ofLocalizedDateTime(
            style("dateStyle", dateStyle), style("timeStyle", timeStyle));
      }
      return dateStyle != null
          ? DateTimeFormatter.ofLocalizedDate(style("dateStyle", dateStyle))
          : DateTimeFormatter.ofLocalizedTime(style("timeStyle", timeStyle));
    }
    String era = field(opts, "era", null, null, "GGGG", "G", "GGGGG");
    String year = field(opts, "year", "y", "yy");
    String month = field(opts, "month", "M", "MM", "MMMM", "MMM", "MMMMM");
    String weekday = field(opts, "weekday", null, null, "EEEE", "E", "EEEEE");
    String day = field(opts, "day", "d", "dd");
    String hour = field(opts, "hour", "j", "jj");
    String minute = field(opts, "minute", "m", "mm");
    String second = field(opts, "second", "s", "ss");
    String zoneName = field(opts, "timeZoneName", null, null, "zzzz", "z");
    boolean anyDate = !(weekday + year + month + day).isEmpty();
    boolean anyTime = !(hour + minute + second).isEmpty();
    boolean none = !anyDate && !anyTime;
    boolean needDate = defaults == Defaults.DATE ? !anyDate : defaults == Defaults.ALL && none;
    boolean needTime = defaults == Defaults.TIME ? !anyTime : defaults == Defaults.ALL && none;
    if (needDate) {
      year = "y";
      month = "M";
      day = "d";
    }
    if (needTime) {
      hour = "j";
      minute = "m";
      second = "s";
    }
    String cycle = hourCycle(opts, hour);
    // In the order Java's skeletons take them (DateTimeFormatter.ofLocalizedPattern); the hour
    // letter a cycle asks, and the zone's name, which Java's skeletons do not resolve, are put in
    // the pattern after.
    return new Skeleton(
        era + year + month + weekday + day + hour + minute + second, cycle, zoneName);
  }

  /**
   * The skeleton's formatter for the locale: the locale's pattern for the skeleton at plain
   * widths, then each field that asked for {@code 2-digit} written with two letters, as ICU adjusts
   * a pattern to the widths asked (Java has no pattern for some skeletons with two-digit fields).
   */
  private static DateTimeFormatter resolved(Skeleton skeleton, Locale locale, boolean offset) {
    String letters = skeleton.letters();
    String cycle = skeleton.cycle();
    // An offset's name is the offset ("GMT+1", "GMT+01:00", as browsers write it), not a name
    // the JDK looks up and keeps.
    String zoneName =
        offset ? skeleton.zoneName().replace("zzzz", "OOOO").replace("z", "O") : skeleton.zoneName();
    String plain =
        letters.replace("yy", "y").replace("dd", "d").replace("jj", "j").replace("hh", "h")
            .replace("HH", "H").replace("mm", "m").replace("ss", "s");
    boolean twoDigitMonth = letters.contains("MM") && !letters.contains("MMM");
    if (twoDigitMonth) {
      plain = plain.replace("MM", "M");
    }
    String pattern;
    try {
      pattern =
          DateTimeFormatterBuilder.getLocalizedDateTimePattern(
              plain, IsoChronology.INSTANCE, locale);
    } catch (DateTimeException | IllegalArgumentException e) {
      // No pattern for these fields alone (a minute, say): the fields, in order.
      pattern = String.join(" ", plain.replace("j", "h").split("(?<=(.))(?!\\1)"));
    }
    StringBuilder out = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < pattern.length(); ) {
      char c = pattern.charAt(i);
      if (c == '\'') {
        quoted = !quoted;
        out.append(c);
        i++;
        continue;
      }
      int end = i;
      while (end < pattern.length() && pattern.charAt(end) == c) {
        end++;
      }
      String run = pattern.substring(i, end);
      if (!quoted && c == 'G' && !letters.contains("G")) {
        // An era no option asked for (Java's pattern for a year alone has one in some locales).
        while (out.length() > 0 && out.charAt(out.length() - 1) == ' ') {
          out.setLength(out.length() - 1);
        }
        i = end;
        while (i < pattern.length() && pattern.charAt(i) == ' ' && out.length() == 0) {
          i++;
        }
        continue;
      }
      if (!quoted) {
        char letter = !cycle.isEmpty() && "hHkK".indexOf(c) >= 0 ? cycle.charAt(0) : c;
        run = String.valueOf(letter).repeat(width(c, run.length(), letters, twoDigitMonth));
      }
      out.append(run);
      i = end;
    }
    String text = out.toString();
    if (!cycle.isEmpty() && "Hk".contains(cycle)) {
      // A 24-hour cycle has no day period; a 12-hour one needs one.
      text = text.replaceAll("[\\s\\u202f\\u00a0]*\\b(a+|B+)\\b", "");
    } else if (!cycle.isEmpty() && text.indexOf('a') < 0 && text.indexOf('B') < 0) {
      text = text + " a";
    }
    if (!zoneName.isEmpty()) {
      text = text + " " + zoneName;
    }
    try {
      return DateTimeFormatter.ofPattern(text.strip(), locale);
    } catch (IllegalArgumentException e) {
      throw ScriptRuntime.rangeError(
          "no date format for these options in " + locale.toLanguageTag());
    }
  }

  /**
   * How many letters the pattern's run of {@code c} takes for the widths the skeleton asked: two
   * for a {@code 2-digit} field, and a month's or weekday's name as long as asked.
   */
  private static int width(char c, int run, String letters, boolean twoDigitMonth) {
    return switch (c) {
      case 'y' -> letters.contains("yy") ? 2 : run;
      case 'M', 'L' -> {
        int asked = count(letters, 'M');
        yield asked >= 3 ? asked : twoDigitMonth && run < 3 ? 2 : run;
      }
      case 'E', 'c' -> {
        int asked = count(letters, 'E');
        yield asked >= 4 ? asked : run;
      }
      case 'd' -> letters.contains("dd") ? 2 : run;
      case 'h', 'H', 'k', 'K' ->
          letters.contains("jj") || letters.contains("hh") || letters.contains("HH") ? 2 : run;
      case 'm' -> letters.contains("mm") ? 2 : run;
      case 's' -> letters.contains("ss") ? 2 : run;
      default -> run;
    };
  }

  private static int count(String letters, char c) {
    return (int) letters.chars().filter(ch -> ch == c).count();
  }

  /**
   * The pattern letter of the hour that {@code hour12} or {@code hourCycle} asks ({@code h},
   * {@code H}, {@code K} or {@code k}); empty for the locale's own.
   */
  private static String hourCycle(Scriptable opts, String hour) {
    if (hour.isEmpty() || opts == null) {
      return "";
    }
    Object hour12 = ScriptableObject.getProperty(opts, "hour12");
    if (!ScriptArgs.absent(hour12)) {
      return ScriptRuntime.toBoolean(hour12) ? "h" : "H";
    }
    String cycle = option(opts, "hourCycle");
    if (cycle == null) {
      return "";
    }
    return switch (cycle) {
      case "h11" -> "K";
      case "h12" -> "h";
      case "h23" -> "H";
      case "h24" -> "k";
      default -> throw outOfRange("hourCycle", cycle);
    };
  }

  /**
   * The skeleton letters of a field option: {@code numeric}, {@code 2-digit}, {@code long},
   * {@code short}, {@code narrow}, in that order, null where the option takes no such value;
   * empty when the option is not given.
   */
  private static String field(Scriptable opts, String name, String... letters) {
    String value = opts == null ? null : option(opts, name);
    if (value == null) {
      return "";
    }
    int i =
        switch (value) {
          case "numeric" -> 0;
          case "2-digit" -> 1;
          case "long" -> 2;
          case "short" -> 3;
          case "narrow" -> 4;
          default -> -1;
        };
    if (i < 0 || i >= letters.length || letters[i] == null) {
      throw outOfRange(name, value);
    }
    return letters[i];
  }

  private static FormatStyle style(String name, String value) {
    return switch (value) {
      case "full" -> FormatStyle.FULL;
      case "long" -> FormatStyle.LONG;
      case "medium" -> FormatStyle.MEDIUM;
      case "short" -> FormatStyle.SHORT;
      default -> throw outOfRange(name, value);
    };
  }

  private static RuntimeException outOfRange(String name, String value) {
    return ScriptRuntime.rangeError(
        "Value " + value + " out of range for Intl.DateTimeFormat options property " + name);
  }

  private static String option(Scriptable opts, String name) {
    Object v = ScriptableObject.getProperty(opts, name);
    return ScriptArgs.absent(v) ? null : OPTION.read(v);
  }
}
