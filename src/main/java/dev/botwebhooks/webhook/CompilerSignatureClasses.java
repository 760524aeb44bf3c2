package dev.botwebhooks.webhook;

import com.fasterxml.jackson.core.json.DupDetector;
import com.fasterxml.jackson.databind.InjectableValues;
import java.util.List;

/**
 * Classes that no hit uses, but that HotSpot's optimizing compiler (C2) loads when it compiles a
 * hot method of the hit path whose signature names them: it loads every class of a method's
 * signature before compiling it, even where the hit only ever passes {@code null}. Left to the
 * compiler, they were loaded thousands of warm hits into a process (README "Performance"); loaded
 * here, with the hit path, they are loaded before the first request. No code path of a hit can
 * load them instead, since none runs them. With C1 only (the functions in Lambda) the compiler
 * never asks for them, and loading them costs a few classes at init.
 */
final class CompilerSignatureClasses {
  /**
   * Jackson's JSON writer ({@code JsonWriteContext.createRootContext(DupDetector)}) and reader
   * ({@code DefaultDeserializationContext.Impl(.., InjectableValues)}); loaded with this class.
   */
  private static final List<Class<?>> JACKSON = List.of(DupDetector.class, InjectableValues.class);

  /**
   * The JDK's: writing a double ({@code DoubleToDecimal.toDecimal(.., FormattedFPDecimal)}) and
   * a log line's encoding ({@code CharBuffer}'s constructors take a {@code MemorySegment}). By
   * name: the first is internal to the JDK, the second a preview API of Java 21.
   */
  private static final List<String> JDK =
      List.of("jdk.internal.math.FormattedFPDecimal", "java.lang.foreign.MemorySegment");

  private CompilerSignatureClasses() {}

  /** Loads them all (initialising none); a JDK name this JDK lacks is skipped. */
  static void load() {
    for (String name : JDK) {
      try {
        Class.forName(name, false, null);
      } catch (ClassNotFoundException e) {
        // Another JDK whose compiled methods do not name it.
      }
    }
  }
}
