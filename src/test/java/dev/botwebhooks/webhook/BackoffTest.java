package dev.botwebhooks.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void pausesAreJitteredBetweenOneMillisecondAndTheAttemptsCap() {
    long[] caps = {5, 10, 20, 40, 80, 160, 200, 200};
    for (int attempt = 0; attempt < caps.length; attempt++) {
      Set<Long> seen = new HashSet<>();
      for (int i = 0; i < 500; i++) {
        long pause = Backoff.after(attempt).toMillis();
        assertThat(pause).as("attempt %d", attempt).isBetween(1L, caps[attempt]);
        seen.add(pause);
      }
      assertThat(seen).as("attempt %d draws different pauses", attempt).hasSizeGreaterThan(2);
    }
  }
}
