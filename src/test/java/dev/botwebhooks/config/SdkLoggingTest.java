package dev.botwebhooks.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.spi.SLF4JServiceProvider;

/** The SDK's SLF4J binding is named, not looked for, unless the JVM names one itself. */
class SdkLoggingTest {
  private String provider;
  private String verbosity;

  @BeforeEach
  void save() {
    provider = System.getProperty(SdkLogging.PROVIDER);
    verbosity = System.getProperty(SdkLogging.VERBOSITY);
    System.clearProperty(SdkLogging.PROVIDER);
    System.clearProperty(SdkLogging.VERBOSITY);
  }

  @AfterEach
  void restore() {
    set(SdkLogging.PROVIDER, provider);
    set(SdkLogging.VERBOSITY, verbosity);
  }

  private static void set(String name, String value) {
    if (value == null) {
      System.clearProperty(name);
    } else {
      System.setProperty(name, value);
    }
  }

  @Test
  void namesTheJarsNopBinding_quietly() throws ClassNotFoundException {
    SdkLogging.useNopBinding();

    assertThat(System.getProperty(SdkLogging.PROVIDER)).isEqualTo(SdkLogging.NOP_PROVIDER);
    assertThat(System.getProperty(SdkLogging.VERBOSITY)).isEqualTo("WARN");
    assertThat(SLF4JServiceProvider.class.isAssignableFrom(Class.forName(SdkLogging.NOP_PROVIDER)))
        .as("the named binding is on the class path and is an SLF4J provider")
        .isTrue();
  }

  @Test
  void keepsABindingTheJvmNames() {
    System.setProperty(SdkLogging.PROVIDER, "org.example.OwnProvider");

    SdkLogging.useNopBinding();

    assertThat(System.getProperty(SdkLogging.PROVIDER)).isEqualTo("org.example.OwnProvider");
    assertThat(System.getProperty(SdkLogging.VERBOSITY)).isNull();
  }

  @Test
  void keepsAVerbosityTheJvmSets() {
    System.setProperty(SdkLogging.VERBOSITY, "DEBUG");

    SdkLogging.useNopBinding();

    assertThat(System.getProperty(SdkLogging.PROVIDER)).isEqualTo(SdkLogging.NOP_PROVIDER);
    assertThat(System.getProperty(SdkLogging.VERBOSITY)).isEqualTo("DEBUG");
  }
}
