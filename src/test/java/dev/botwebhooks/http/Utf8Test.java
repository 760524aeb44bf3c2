package dev.botwebhooks.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {
  @Test
  void validText_isDecoded() {
    assertThat(Utf8.strict("café 🐈".getBytes(StandardCharsets.UTF_8))).contains("café 🐈");
    assertThat(Utf8.strict(new byte[0])).contains("");
  }

  @Test
  void malformedBytes_areRefused_notReplaced() {
    assertThat(Utf8.strict(new byte[] {(byte) 0xC3, 0x28})).isEmpty(); // a lead byte, no follower
    assertThat(Utf8.strict(new byte[] {(byte) 0xFF})).isEmpty();
    assertThat(Utf8.strict(new byte[] {(byte) 0xC0, (byte) 0xAF})).isEmpty(); // overlong '/'
    assertThat(Utf8.strict(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})).isEmpty(); // surrogate
  }
}
