package dev.botwebhooks.script;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.mozilla.javascript.BaseFunction;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.Function;
import org.mozilla.javascript.JSFunction;
import org.mozilla.javascript.LambdaFunction;
import org.mozilla.javascript.NativeArray;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;
import org.mozilla.javascript.SymbolKey;
import org.mozilla.javascript.Undefined;

/**
 * Guards for built-ins that loop or allocate in proportion to a number the script controls
 * without running script code, so no instruction is counted and the deadline observer never
 * gets a say (found by reading Rhino 1.9's NativeArray, NativeString, NativeJSON, BaseFunction
 * and ScriptRuntime.evalSpecial). Each guarded built-in is replaced, in the run's own scope, by a
 * function that checks the sizes involved first and then calls the original: array lengths for
 * the generic Array methods (a sparse array or {@code {length: 2**53-1}} costs nothing to make),
 * result lengths for {@code repeat}/{@code padStart}/{@code padEnd}/{@code join}/{@code concat},
 * the unfolded size of a value given to {@code JSON.stringify} (a small DAG unfolds
 * exponentially), the nesting of text given to {@code JSON.parse}, argument counts of
 * {@code apply}; {@link CompileGuards} caps the source given to {@code eval} and {@code Function}.
 */
final class BuiltinGuards {
  /** Longest array (or array-like) a generic Array method may walk. */
  static final long MAX_ARRAY_LENGTH = 1 << 20;

  /** Longest string a guarded built-in may produce. */
  static final long MAX_STRING_CHARS = 1 << 23;

  /** Most values JSON.stringify may visit (counting each path to a shared object). */
  static final long MAX_JSON_NODES = 1 << 20;

  static final int MAX_JSON_DEPTH = 1_000;
  static final long MAX_APPLY_ARGS = 1 << 16;
  static final long MAX_SOURCE_CHARS = 1 << 20;

  private static final String[] ARRAY_METHODS = {
    "concat", "copyWithin", "every", "fill", "filter", "find", "findIndex", "findLast",
    "findLastIndex", "flat", "flatMap", "forEach", "includes", "indexOf", "join", "lastIndexOf",
    "map", "pop", "push", "reduce", "reduceRight", "reverse", "shift", "slice", "some", "sort",
    "splice", "toLocaleString", "toString", "unshift", "at", "toReversed", "toSorted",
    "toSpliced", "with"
  };

  /**
   * Array methods that touch only the elements they name; every other one walks its array in one
   * Java call and is charged per element (NativeCost, Rate.ELEMENT).
   */
  private static final Set<String> UNWALKED_ARRAY_METHODS = Set.of("at", "pop", "push");

  /** Statics of the Array constructor that stay. */
  private static final Set<String> ARRAY_STATICS =
      Set.of("from", "isArray", "of", "prototype", "length", "name");

  private static final String[] OBJECT_KEY_METHODS = {
    "keys", "values", "entries", "assign", "getOwnPropertyNames", "getOwnPropertyDescriptors",
    "freeze", "seal", "isFrozen", "isSealed", "getOwnPropertySymbols", "fromEntries"
  };

  /** Array methods whose first argument is a function they call, for each element or pair. */
  private static final Set<String> CALLBACK_METHODS =
      Set.of(
          "every", "filter", "find", "findIndex", "findLast", "findLastIndex", "forEach", "map",
          "reduce", "reduceRight", "some", "sort", "toSorted");

  /** The legacy HTML methods of strings (anchor, big, ..., sup). */
  private static final String[] HTML_METHODS = {
    "anchor", "big", "blink", "bold", "fixed", "fontcolor", "fontsize", "italics", "link",
    "small", "strike", "sub", "sup"
  };

  /** How deep the check of a join counts nested arrays' texts. */
  private static final int MAX_JOIN_DEPTH = 64;

  /** Array methods that join their elements' texts: join, and toString and toLocaleString. */
  private static final Set<String> JOINS = Set.of("join", "toString", "toLocaleString");

  private static final String[] URI_FUNCTIONS = {
    "encodeURI", "encodeURIComponent", "decodeURI", "decodeURIComponent", "escape", "unescape"
  };

  /** A check run before the original built-in; it throws a RangeError to refuse. */
  @FunctionalInterface
  interface Check {
    void check(Context cx, Scriptable scope, Object thisObj, Object[] args);
  }

  private BuiltinGuards() {}

  static void install(Context cx, ScriptableObject scope) {
    Scriptable arrayProto = ScriptableObject.getArrayPrototype(scope);
    tickDefaultSorts(scope, arrayProto);
    for (String name : ARRAY_METHODS) {
      String builtin = "Array.prototype." + name;
      boolean walks = !UNWALKED_ARRAY_METHODS.contains(name);
      wrap(scope, arrayProto, name, (c, s, t, a) -> {
        checkArrayMethod(name, builtin, walks, t, a);
        if (CALLBACK_METHODS.contains(name)) {
          checkEveryCall(s, a, 0);
        }
      });
    }
    guardFlatMap(scope, arrayProto);
    Scriptable arrayCtor = (Scriptable) ScriptableObject.getProperty(scope, "Array");
    keepOnly(arrayCtor, ARRAY_STATICS);
    wrap(scope, arrayCtor, "from", (c, s, t, a) -> {
      NativeCost.chargeElements("Array.from", checkArrayLike(arg(a, 0), "Array.from"));
      checkEveryCall(s, a, 1);
    });

    Scriptable stringProto =
        ScriptableObject.getClassPrototype(scope, "String");
    wrap(scope, stringProto, "repeat", (c, s, t, a) -> {
      double count = ScriptRuntime.toInteger(arg(a, 0));
      checkString(stringLength(t) * Math.max(count, 0), "String.prototype.repeat");
    });
    Scriptable regExpProto = ScriptableObject.getClassPrototype(scope, "RegExp");
    for (String name : new String[] {"exec", "test"}) {
      String what = "RegExp.prototype." + name;
      wrap(scope, regExpProto, name,
          (c, s, t, a) -> StringGuards.checkBackreferences(what, t, arg(a, 0)));
    }
    // String.raw joins the template's raw strings, as many as its length says, in Java, with
    // a substitution between each two.
    wrap(scope, (Scriptable) ScriptableObject.getProperty(scope, "String"), "raw", (c, s, t, a) -> {
      if (arg(a, 0) instanceof Scriptable template) {
        Object raw = ScriptableObject.getProperty(template, "raw");
        long parts = checkArrayLike(raw, "String.raw");
        NativeCost.chargeElements("String.raw", parts);
        double total = 0;
        for (long i = 0; i < parts && raw instanceof Scriptable r; i++) {
          total += stringLength(ScriptableObject.getProperty(r, (int) i));
          total += i + 1 < parts ? stringLength(arg(a, (int) i + 1)) : 0;
        }
        checkString(total, "String.raw");
      }
    });
    // The HTML methods wrap the text in a tag; anchor's, fontcolor's, fontsize's and link's
    // argument goes in an attribute, each quote written as &quot; (6 characters).
    for (String name : HTML_METHODS) {
      wrap(scope, stringProto, name, (c, s, t, a) -> checkString(
          stringLength(t) + 6 * stringLength(arg(a, 0)) + 32, "String.prototype." + name));
    }
    wrap(scope, stringProto, "padStart", BuiltinGuards::checkPad);
    wrap(scope, stringProto, "padEnd", BuiltinGuards::checkPad);
    wrap(scope, stringProto, "concat", (c, s, t, a) -> {
      double total = stringLength(t);
      for (Object o : a) {
        total += stringLength(o);
      }
      checkString(total, "String.prototype.concat");
    });
    for (String name : new String[] {"replace", "replaceAll"}) {
      wrap(scope, stringProto, name, (c, s, t, a) -> {
        if (arg(a, 1) instanceof CharSequence replacement) {
          checkString(replacedLength(stringLength(t), replacement), "String.prototype." + name);
        }
        checkEveryCall(s, a, 1); // a replacer function, called for each match
      });
    }

    // split and a global match make one string per piece (about 50 bytes each) in a Java loop.
    wrap(scope, stringProto, "split", (c, s, t, a) -> {
      Object limit = arg(a, 1);
      double pieces = stringLength(t) + 1;
      if (limit != Undefined.instance) {
        pieces = Math.min(pieces, ScriptRuntime.toUint32(limit));
      }
      if (pieces > MAX_ARRAY_LENGTH) {
        throw refuse("String.prototype.split into up to " + (long) pieces + " pieces");
      }
    });
    wrap(scope, stringProto, "match", (c, s, t, a) -> {
      if (stringLength(t) + 1 > MAX_ARRAY_LENGTH) {
        throw refuse("String.prototype.match on " + (long) stringLength(t) + " characters");
      }
    });

    // Object.keys and friends make one property per character of a string, and walk every
    // property of an object (assign: of each source; freeze and seal: to redefine it), in Java.
    Scriptable objectCtor = (Scriptable) ScriptableObject.getProperty(scope, "Object");
    for (String name : OBJECT_KEY_METHODS) {
      String builtin = "Object." + name;
      wrap(scope, objectCtor, name, (c, s, t, a) -> {
        double properties = 0;
        for (Object o : a) {
          double chars =
              stringLength(o instanceof Scriptable so && "String".equals(so.getClassName())
                  ? ScriptRuntime.toCharSequence(so) : o instanceof CharSequence ? o : "");
          if (chars > MAX_ARRAY_LENGTH) {
            throw refuse(builtin + " of a string of more than " + MAX_ARRAY_LENGTH
                + " characters");
          }
          properties += chars + propertyCount(o);
        }
        NativeCost.chargeElements(builtin, properties);
      });
    }
    // defineProperties and create define one property per key of their argument, in Java,
    // each a slow descriptor conversion: a million keys take a second unchecked.
    wrap(scope, objectCtor, "defineProperties",
        (c, s, t, a) -> checkDescriptorCount(arg(a, 1), "Object.defineProperties"));
    wrap(scope, objectCtor, "create",
        (c, s, t, a) -> checkDescriptorCount(arg(a, 1), "Object.create"));
    // The URI and escape functions make up to 12 characters per input character, in Java.
    for (String name : URI_FUNCTIONS) {
      wrap(scope, scope, name, (c, s, t, a) -> {
        if (stringLength(arg(a, 0)) * 3 > MAX_STRING_CHARS) {
          throw refuse(name + " of " + (long) stringLength(arg(a, 0)) + " characters");
        }
      });
    }

    Scriptable json = (Scriptable) ScriptableObject.getProperty(scope, "JSON");
    JsonGuards.guardStringify(scope, json);
    wrap(scope, json, "parse", (c, s, t, a) -> {
      checkParse(arg(a, 0));
      NativeCost.charge("JSON.parse of " + (long) stringLength(arg(a, 0)) + " characters",
          stringLength(arg(a, 0)), NativeCost.Rate.PARSE);
      checkEveryCall(s, a, 1); // a reviver, called for each value
    });

    Scriptable functionProto = ScriptableObject.getFunctionPrototype(scope);
    wrap(scope, functionProto, "apply", (c, s, t, a) -> checkArrayLike(arg(a, 1), "apply"));
    // A built-in bound to chosen arguments (Number.prototype.toString.bind(5e-324, 3), call.bind)
    // can be called from Java by Set.forEach, getters, Object.assign, spread, ..., each call
    // costing milliseconds with no instruction counted: it checks the deadline at every call.
    replace(scope, functionProto, "bind", (c, s, fn, thisObj, a) -> {
      Object bound = fn.call(c, s, thisObj, a);
      return thisObj instanceof JSFunction || !(bound instanceof Function b)
          ? bound
          : new CheckedFunction(s, b);
    });
    Scriptable reflect = (Scriptable) ScriptableObject.getProperty(scope, "Reflect");
    wrap(scope, reflect, "apply", (c, s, t, a) -> checkArrayLike(arg(a, 2), "Reflect.apply"));
    wrap(scope, reflect, "ownKeys",
        (c, s, t, a) -> NativeCost.chargeElements("Reflect.ownKeys", propertyCount(arg(a, 0))));
    wrap(scope, reflect, "construct",
        (c, s, t, a) -> checkArrayLike(arg(a, 1), "Reflect.construct"));

    StringGuards.install(scope);
    CompileGuards.install(cx, scope);
    guardIterators(cx, scope);
  }

  /**
   * Removes every named property of {@code ctor} but {@code kept}: Rhino's non-standard generic
   * statics ({@code Array.sort(a)}, {@code Array.concat(a, b)}, {@code String.indexOf(s, x)},
   * ...) run the same Java loops as the prototype's methods without passing their guards.
   */
  static void keepOnly(Scriptable ctor, Set<String> kept) {
    if (ctor instanceof ScriptableObject c) {
      for (Object id : c.getAllIds()) {
        if (id instanceof String name && !kept.contains(name)) {
          c.delete(name);
        }
      }
    }
  }

  /**
   * A sort without a comparator compares in Java, so its comparisons count no instruction and
   * the deadline would wait for the whole sort. It is given a comparator that compares as the
   * default one does (the two values' texts, by UTF-16 code units; undefined and holes go last
   * before any comparison) and ticks the run's check at every comparison. The size checks below
   * wrap this, so they still see a sort without a comparator.
   */
  private static void tickDefaultSorts(ScriptableObject scope, Scriptable arrayProto) {
    LambdaFunction byText =
        new LambdaFunction(
            scope,
            "compare",
            2,
            (c, s, thisObj, args) -> {
              SandboxContextFactory.SandboxContext.tickCurrent();
              int order =
                  ScriptRuntime.toString(arg(args, 0)).compareTo(ScriptRuntime.toString(arg(args, 1)));
              return Integer.signum(order);
            });
    for (String name : new String[] {"sort", "toSorted"}) {
      replace(scope, arrayProto, name, (c, s, fn, thisObj, a) ->
          fn.call(c, s, thisObj, arg(a, 0) == Undefined.instance ? new Object[] {byText} : a));
    }
  }

  /** The prototypes of the built-in iterators, by the tag Rhino keeps them under. */
  private static final String[] ITERATOR_TAGS = {
    "ArrayIterator", "StringIterator", "RegExpStringIterator", "Map Iterator", "Set Iterator"
  };

  /**
   * Built-ins that consume an iterable ({@code new Set(a)}, {@code new Map(a)},
   * {@code Promise.all(a)}, {@code Object.fromEntries(a)}, spread) drive the iterator from a Java
   * loop, so no instruction is counted: over a sparse array of length 2^32-1 that loop never
   * ends. Every step of a built-in iterator ticks the run's check instead.
   */
  private static void guardIterators(Context cx, ScriptableObject scope) {
    for (String tag : ITERATOR_TAGS) {
      Object proto = ScriptableObject.getTopScopeValue(scope, tag);
      if (proto instanceof Scriptable p) {
        wrapTicking(scope, p, "next");
      }
    }
  }

  private static void wrapTicking(ScriptableObject scope, Scriptable holder, String name) {
    Object original = ScriptableObject.getProperty(holder, name);
    if (!(original instanceof Function fn) || !(holder instanceof ScriptableObject target)) {
      return;
    }
    LambdaFunction guarded =
        new LambdaFunction(
            scope,
            name,
            0,
            (c, s, thisObj, args) -> {
              SandboxContextFactory.SandboxContext.tickCurrent();
              return fn.call(c, s, thisObj, args);
            });
    target.defineProperty(name, guarded, ScriptableObject.DONTENUM);
  }

  /**
   * Puts a check before the built-in {@code name} of {@code holder}; a check that runs script
   * code refuses the call ({@link #refuseIfScriptRan}). {@code what} names the built-in in errors.
   */
  static void wrap(
      ScriptableObject scope, Scriptable holder, String name, String what, Check check) {
    replace(scope, holder, name, (c, s, fn, thisObj, args) -> {
      long calls = SandboxContextFactory.SandboxContext.callsOf(c);
      check.check(c, s, thisObj, args);
      refuseIfScriptRan(c, what, calls);
      return fn.call(c, s, thisObj, args);
    });
  }

  private static void wrap(ScriptableObject scope, Scriptable holder, String name, Check check) {
    wrap(scope, holder, name, name, check);
  }

  /**
   * Refuses a call whose check ran script code (a getter, {@code valueOf} or {@code toString} of
   * the script's own) since {@code callsBefore}: the built-in would run it again and could be
   * handed another size than the one checked, a length or a count the check let through.
   */
  static void refuseIfScriptRan(Context cx, String builtin, long callsBefore) {
    if (SandboxContextFactory.SandboxContext.callsOf(cx) != callsBefore) {
      throw ScriptRuntime.typeError(
          builtin + " was given a value that script code computes (a getter, valueOf or"
              + " toString), which webhook commands cannot pass to it: pass the value itself");
    }
  }

  /** A replacement of a built-in, given the original to call or not. */
  @FunctionalInterface
  interface Replacement {
    Object call(Context cx, Scriptable scope, Function original, Scriptable thisObj, Object[] a);
  }

  /**
   * Puts {@code body} in the place of the built-in {@code name} of {@code holder}, in the run's
   * own scope; the deadline is checked before each call.
   */
  static void replace(ScriptableObject scope, Scriptable holder, String name, Replacement body) {
    Object original = ScriptableObject.getProperty(holder, name);
    if (!(original instanceof Function fn) || !(holder instanceof ScriptableObject target)) {
      return;
    }
    int arity = fn instanceof BaseFunction bf ? bf.getLength() : 0;
    LambdaFunction guarded =
        new LambdaFunction(
            scope,
            name,
            arity,
            (c, s, thisObj, args) -> {
              if (c instanceof SandboxContextFactory.SandboxContext sandbox) {
                sandbox.check();
              }
              SandboxContextFactory.SandboxContext.enterNested(c);
              try {
                return body.call(c, s, fn, thisObj, args);
              } finally {
                SandboxContextFactory.SandboxContext.exitNested(c);
              }
            });
    target.defineProperty(name, guarded, ScriptableObject.DONTENUM);
  }

  /**
   * A function a built-in calls for each element (Array methods' callbacks, a replacer of {@code
   * replace}, a reviver of {@code JSON.parse}) that is not the script's own code (a built-in
   * such as {@code Object.isFrozen} or {@code Number.prototype.toString}, a bound or host function)
   * runs in Java, where no instruction is counted and each call may take milliseconds: it is
   * handed over wrapped, checking the deadline at every call. The script's own functions count
   * their instructions as they run.
   */
  private static void checkEveryCall(Scriptable scope, Object[] args, int i) {
    if (i < args.length && args[i] instanceof Function f
        && !(f instanceof JSFunction) && !(f instanceof CheckedFunction)) {
      args[i] = new CheckedFunction(scope, f);
    }
  }

  static Object arg(Object[] args, int i) {
    return i < args.length ? args[i] : Undefined.instance;
  }

  static RuntimeException refuse(String what) {
    return ScriptRuntime.rangeError(what + " is too large for a webhook command");
  }

  private static void checkArrayMethod(
      String name, String builtin, boolean walks, Object thisObj, Object[] a) {
    long length = checkArrayLike(thisObj, "Array method");
    long total = length;
    for (Object o : a) {
      if (o instanceof Scriptable s && (ScriptRuntime.isArrayObject(s) || isConcatSpreadable(s))) {
        // concat walks every array or spreadable argument: their lengths add up.
        total += checkArrayLike(s, "Array method argument");
        if (total > MAX_ARRAY_LENGTH) {
          throw refuse("Array method over arrays of total length " + total);
        }
      }
    }
    if (walks) {
      NativeCost.chargeElements(builtin, "slice".equals(name) ? sliced(length, a) : total);
    }
    if ("flat".equals(name) && thisObj instanceof Scriptable self) {
      // flat walks nested arrays down to its depth, every path to a shared array again.
      Object d = arg(a, 0);
      double depth = d == Undefined.instance ? 1 : ScriptRuntime.toInteger(d);
      countFlat(self, depth, new long[] {0}, 0);
    }
    if (JOINS.contains(name) || "sort".equals(name) || "toSorted".equals(name)) {
      chargeTexts(name, thisObj, length, a);
    }
  }

  /**
   * join copies every element's text, and sort without a comparator compares texts, each
   * element about log2(n) times, converting it to text at every comparison (NativeCost,
   * Rate.SORT).
   */
  private static void chargeTexts(String name, Object thisObj, long length, Object[] a) {
    if (!(thisObj instanceof Scriptable self)) {
      return;
    }
    if (JOINS.contains(name)) {
      double chars =
          joinedText(
              self, length, MAX_STRING_CHARS, Collections.newSetFromMap(new IdentityHashMap<>()));
      double sep =
          "join".equals(name) && a.length > 0 && a[0] instanceof CharSequence cs ? cs.length() : 1;
      // The separator alone repeats length - 1 times.
      checkString(chars + (double) length * sep, "Array.prototype." + name);
    } else if (arg(a, 0) == Undefined.instance) {
      double log = Math.max(1, 64 - Long.numberOfLeadingZeros(length));
      double cap = NativeCost.unitsLeft(NativeCost.Rate.SORT) / log;
      double units = 0;
      for (long i = 0; i < length && units <= cap; i++) {
        units += comparedText(ScriptableObject.getProperty(self, (int) i), cap - units);
      }
      NativeCost.charge("Array.prototype." + name + " of " + length + " elements of about "
          + (long) units + " characters", units * log, NativeCost.Rate.SORT);
    }
  }

  /**
   * The characters of the elements' texts as join writes them, nested arrays joined into them
   * (each with its commas; one being joined already writes nothing, as join writes a cycle), a
   * number or boolean 24 at most; walked no further than {@code cap}, nor deeper than {@link
   * #MAX_JOIN_DEPTH}: every nested array's own join checks again below it, so a deeper walk
   * would go over the same arrays once per level (a chain of 1,000 nested arrays, cut at the
   * nesting cap, took a million steps).
   */
  private static double joinedText(
      Scriptable array, long length, double cap, Set<Scriptable> joining) {
    if (joining.size() > MAX_JOIN_DEPTH) {
      return 0;
    }
    joining.add(array);
    double chars = 0;
    for (long i = 0; i < length && chars <= cap; i++) {
      Object item = ScriptableObject.getProperty(array, (int) i);
      if (item instanceof CharSequence cs) {
        chars += cs.length();
      } else if (item instanceof Number || item instanceof Boolean) {
        chars += 24;
      } else if (item instanceof NativeArray nested && !joining.contains(nested)) {
        long n = JsValues.lengthOf(nested);
        chars += n + joinedText(nested, n, cap - chars, joining);
      }
    }
    joining.remove(array);
    return chars;
  }

  /**
   * What one comparison of a default sort costs for an element, in characters of Rate.SORT: a
   * text its length; a number or another object its conversion to text (numbers 60: 2e5 random
   * doubles took 0.63-0.83 s to sort); an array its elements' texts joined, and 200 more for each
   * array joined (1e5 one-element arrays of random doubles took 1-1.2 s), walked no further than
   * {@code cap}.
   */
  private static double comparedText(Object item, double cap) {
    return item instanceof NativeArray array
        ? arrayText(array, cap, new IdentityHashMap<>(), 0)
        : leafText(item);
  }

  /**
   * An array's text as a comparison joins it: each array is walked once, a shared one counted
   * wherever it appears, and one that holds itself joins there as empty, as join writes it.
   */
  private static double arrayText(
      NativeArray array, double cap, Map<NativeArray, Double> known, int depth) {
    Double done = known.get(array);
    if (done != null) {
      return done;
    }
    if (depth > MAX_JSON_DEPTH) {
      return cap + 1;
    }
    known.put(array, 1.0);
    double units = 200;
    long n = JsValues.lengthOf(array);
    for (long i = 0; i < n && units <= cap; i++) {
      Object element = ScriptableObject.getProperty(array, (int) i);
      units +=
          1
              + (element instanceof NativeArray nested
                  ? arrayText(nested, cap - units, known, depth + 1)
                  : leafText(element));
    }
    known.put(array, units);
    return units;
  }

  private static double leafText(Object item) {
    if (item instanceof CharSequence cs) {
      return cs.length();
    }
    if (item == Undefined.instance || item == Scriptable.NOT_FOUND) {
      return 0; // sorted to the end without a comparison
    }
    return 60;
  }

  /**
   * How many elements {@code slice} copies: the range its arguments name when they are numbers
   * (a slice of ten elements of a long array walks ten), else the whole length (converting an
   * object argument here would run its {@code valueOf} a second time).
   */
  private static long sliced(long length, Object[] a) {
    Object start = arg(a, 0);
    Object end = arg(a, 1);
    if (!(start instanceof Number || start == Undefined.instance)
        || !(end instanceof Number || end == Undefined.instance)) {
      return length;
    }
    double from = relative(start instanceof Number n ? n.doubleValue() : 0, length);
    double to = relative(end instanceof Number n ? n.doubleValue() : length, length);
    return (long) Math.max(0, to - from);
  }

  /** A relative index as slice takes it: negative from the end, clamped to 0..length. */
  private static double relative(double index, long length) {
    double i = Double.isNaN(index) ? 0 : index;
    return i < 0 ? Math.max(0, length + i) : Math.min(i, length);
  }

  /**
   * How many properties the Object key methods walk on {@code value} (a dense array's elements
   * included: Rhino's {@code NativeArray.size} counts them).
   */
  private static double propertyCount(Object value) {
    return value instanceof ScriptableObject obj ? obj.size() : 0;
  }

  private static boolean isConcatSpreadable(Scriptable s) {
    Object flag = ScriptableObject.getProperty(s, SymbolKey.IS_CONCAT_SPREADABLE);
    return flag != Scriptable.NOT_FOUND && ScriptRuntime.toBoolean(flag);
  }

  private static void countFlat(Scriptable array, double depth, long[] total, int level) {
    long length = JsValues.lengthOf(array);
    total[0] += length;
    if (total[0] > MAX_ARRAY_LENGTH || level > MAX_JSON_DEPTH) {
      throw refuse("Array.prototype.flat over nested arrays of total length " + total[0]);
    }
    SandboxContextFactory.SandboxContext.tickCurrent();
    if (depth < 1) {
      return;
    }
    for (long i = 0; i < length; i++) {
      Object item = ScriptableObject.getProperty(array, (int) i);
      if (item instanceof Scriptable inner && ScriptRuntime.isArrayObject(inner)) {
        countFlat(inner, depth - 1, total, level + 1);
      }
    }
  }

  /**
   * flatMap copies whatever arrays its callback returns in a Java loop, so it is done as map
   * (script code, counted) and then the guarded flat of depth 1.
   */
  private static void guardFlatMap(ScriptableObject scope, Scriptable arrayProto) {
    Object map = ScriptableObject.getProperty(arrayProto, "map");
    Object flat = ScriptableObject.getProperty(arrayProto, "flat");
    if (!(map instanceof Function mapFn) || !(flat instanceof Function flatFn)
        || !(arrayProto instanceof ScriptableObject target)) {
      return;
    }
    LambdaFunction guarded =
        new LambdaFunction(
            scope,
            "flatMap",
            1,
            (c, s, thisObj, args) -> {
              SandboxContextFactory.SandboxContext.checkCurrent();
              Object mapped = mapFn.call(c, s, thisObj, args);
              if (!(mapped instanceof Scriptable m)) {
                return mapped;
              }
              return flatFn.call(c, s, m, new Object[] {1});
            });
    target.defineProperty("flatMap", guarded, ScriptableObject.DONTENUM);
  }

  /** Most property descriptors one call may define. */
  static final int MAX_DESCRIPTORS = 1 << 16;

  private static void checkDescriptorCount(Object props, String what) {
    if (props instanceof ScriptableObject obj
        && ((ScriptRuntime.isArrayObject(obj) && JsValues.lengthOf(obj) > MAX_DESCRIPTORS)
            || obj.getIds().length > MAX_DESCRIPTORS)) {
      throw refuse(what + " with more than " + MAX_DESCRIPTORS + " properties");
    }
  }

  static long checkArrayLike(Object value, String what) {
    if (!(value instanceof Scriptable obj)) {
      return 0;
    }
    long length = JsValues.lengthOf(obj);
    if (length > MAX_ARRAY_LENGTH) {
      throw refuse(what + " on an array of length " + length);
    }
    return length;
  }

  static double stringLength(Object value) {
    if (value instanceof CharSequence cs) {
      return cs.length();
    }
    if (value == null || value == Undefined.instance || value instanceof Number
        || value instanceof Boolean) {
      return 32;
    }
    return ScriptRuntime.toCharSequence(value).length();
  }

  private static void checkString(double length, String what) {
    if (length > MAX_STRING_CHARS) {
      throw refuse(what + " result of " + (long) length + " characters");
    }
  }

  /**
   * An upper bound of a replace result: every match may insert the replacement, a {@code $&} or
   * capture pattern adds at most the whole text over all matches, and {@code $`} or {@code $'}
   * (the text before or after the match) adds up to the whole text per match.
   */
  static double replacedLength(double len, CharSequence replacement) {
    double perMatch = replacement.length();
    double whole = 0;
    String r = replacement.toString();
    for (int i = r.indexOf('$'); i >= 0 && i + 1 < r.length(); i = r.indexOf('$', i + 1)) {
      char next = r.charAt(i + 1);
      if (next == '`' || next == '\'') {
        perMatch += len;
      } else if (next == '&' || next == '<' || Character.isDigit(next)) {
        whole += len;
      }
    }
    return len + (len + 1) * perMatch + whole;
  }

  private static void checkPad(Context cx, Scriptable scope, Object thisObj, Object[] a) {
    checkString(ScriptRuntime.toInteger(arg(a, 0)), "String.prototype.padStart/padEnd");
  }

  private static void checkParse(Object text) {
    if (!(text instanceof CharSequence cs)) {
      return;
    }
    checkString(cs.length(), "JSON.parse input");
    int depth = 0;
    boolean inString = false;
    for (int i = 0; i < cs.length(); i++) {
      char c = cs.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '[' || c == '{') {
        if (++depth > MAX_JSON_DEPTH) {
          throw refuse("JSON.parse of text nested deeper than " + MAX_JSON_DEPTH);
        }
      } else if (c == ']' || c == '}') {
        depth--;
      }
    }
  }

  /** A function that checks the run's deadline before each call of the one it stands for. */
  private static final class CheckedFunction extends BaseFunction {
    private static final long serialVersionUID = 1L;
    private final Function target;

    CheckedFunction(Scriptable scope, Function target) {
      super(scope, ScriptableObject.getFunctionPrototype(scope));
      this.target = target;
    }

    @Override
    public Object call(Context cx, Scriptable scope, Scriptable thisObj, Object[] args) {
      SandboxContextFactory.SandboxContext.checkCurrent();
      return target.call(cx, scope, thisObj, args);
    }

    @Override
    public Scriptable construct(Context cx, Scriptable scope, Object[] args) {
      SandboxContextFactory.SandboxContext.checkCurrent();
      return target.construct(cx, scope, args);
    }

    @Override
    public boolean hasInstance(Scriptable instance) {
      return target.hasInstance(instance);
    }

    @Override
    public String getFunctionName() {
      return target instanceof BaseFunction b ? b.getFunctionName() : "";
    }

    @Override
    public int getLength() {
      return target instanceof BaseFunction b ? b.getLength() : 0;
    }

    @Override
    public int getArity() {
      return getLength();
    }
  }
}
