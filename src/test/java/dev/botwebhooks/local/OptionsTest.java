package dev.botwebhooks.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OptionsTest {
  @Test
  void parse_noArguments_defaults() {
    assertThat(Options.parse()).isEqualTo(new Options(3000, false, false));
  }

  @Test
  void parse_allFlags() {
    assertThat(Options.parse("--port", "8080", "--demo", "--trust-forwarded-for"))
        .isEqualTo(new Options(8080, true, true));
    assertThat(Options.parse("--port=0")).isEqualTo(new Options(0, false, false));
  }

  @Test
  void parse_badInput_namesTheProblem() {
    assertThatThrownBy(() -> Options.parse("--port")).hasMessageContaining("--port needs");
    assertThatThrownBy(() -> Options.parse("--port", "x")).hasMessageContaining("'x'");
    assertThatThrownBy(() -> Options.parse("--port", "70000")).hasMessageContaining("70000");
    assertThatThrownBy(() -> Options.parse("--verbose")).hasMessageContaining("--verbose");
  }
}
