package dev.botwebhooks.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What keeps the local server from starting is one clear line and an exit code. */
class LauncherTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private Launcher.Launched launch(Map<String, String> env, String... args) {
    Launcher.Launched launched =
        Launcher.launch(
            args,
            env,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    launched.server().ifPresent(LocalServer::close);
    return launched;
  }

  private String oneLine() {
    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(text.lines()).hasSize(1);
    assertThat(text).doesNotContain("\tat ", "Exception");
    return text;
  }

  @Test
  void portInUse_isOneLineAndExit1() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Launcher.Launched launched =
          launch(Map.of(), "--port", Integer.toString(taken.getLocalPort()));

      assertThat(launched.server()).isEmpty();
      assertThat(launched.exitCode()).isEqualTo(1);
      assertThat(oneLine()).contains("port " + taken.getLocalPort()).contains("in use");
    }
  }

  @Test
  void badSetting_isOneLineNamingItAndExit2() {
    Launcher.Launched launched = launch(Map.of("MAX_RUNS", "many"));

    assertThat(launched.exitCode()).isEqualTo(2);
    assertThat(oneLine()).contains("bad setting: MAX_RUNS must be an integer, got 'many'");
  }

  @Test
  void unreachableDynamoDbEndpoint_isOneLineAndExit1() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    Launcher.Launched launched =
        launch(
            Map.of(
                "DYNAMODB_ENDPOINT", "http://127.0.0.1:" + closedPort,
                "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", "test",
                "AWS_SECRET_ACCESS_KEY", "test"));

    assertThat(launched.exitCode()).isEqualTo(1);
    assertThat(oneLine()).contains("store is unreachable");
  }

  @Test
  void started_printsTheBaseUrlAndAdminKey() {
    Launcher.Launched launched = launch(Map.of("ADMIN_KEY", "k-123"), "--port", "0");

    assertThat(launched.exitCode()).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("Bot webhooks local server: http://127.0.0.1:")
        .contains("Admin key: k-123");
  }
}
