package dev.botwebhooks.config;

/**
 * Where the AWS SDK's logging goes: through SLF4J to its no-operation binding, the one in the jar
 * (slf4j-nop in {@code pom.xml}; this service writes its own JSON log lines). Named before the
 * first SDK client is built, the binding is loaded directly instead of being looked for with a
 * {@code ServiceLoader} over the class path: the first logger then takes about 7 ms instead of 14
 * in a cold JVM (README "Performance"). A binding or verbosity set with {@code -D} is kept.
 */
public final class SdkLogging {
  /** SLF4J's system property naming the binding to load. */
  static final String PROVIDER = "slf4j.provider";

  /** The binding in the jar. */
  static final String NOP_PROVIDER = "org.slf4j.nop.NOPServiceProvider";

  /**
   * SLF4J's system property for its own messages: at WARN it does not announce the named binding
   * at every start, and still reports one that fails to load.
   */
  static final String VERBOSITY = "slf4j.internal.verbosity";

  private SdkLogging() {}

  /** Names the no-operation binding unless one is named already; call before building a client. */
  public static void useNopBinding() {
    if (System.getProperty(PROVIDER) == null) {
      System.setProperty(PROVIDER, NOP_PROVIDER);
      if (System.getProperty(VERBOSITY) == null) {
        System.setProperty(VERBOSITY, "WARN");
      }
    }
  }
}
