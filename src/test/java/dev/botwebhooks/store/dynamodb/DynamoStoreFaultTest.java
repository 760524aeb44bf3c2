package dev.botwebhooks.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.Bot;
import dev.botwebhooks.core.Commit;
import dev.botwebhooks.core.OutboxEntry;
import dev.botwebhooks.core.PropertyKey;
import dev.botwebhooks.core.PropertyType;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.core.StoreUnavailableException;
import dev.botwebhooks.core.Webhook;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * A DynamoDB that is not there, or stops answering, makes the store fail with {@link
 * StoreUnavailableException} within its call timeout (never a hang), and a store whose server comes
 * back works again without being rebuilt.
 */
@ExtendWith(DynamoDbTestServer.class)
class DynamoStoreFaultTest {
  private static final DynamoStore.Timeouts SHORT =
      new DynamoStore.Timeouts(Duration.ofMillis(300), Duration.ofMillis(1500), 2);

  /** A guard against a hang, far above the call timeout; not a measurement. */
  private static final Duration HANG = Duration.ofSeconds(20);

  private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  @Test
  void closedPort_everyCallFailsAsStoreUnavailable() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    DynamoStore store = storeAt("http://127.0.0.1:" + port, "fault-closed");

    assertTimeoutPreemptively(
        HANG,
        () -> {
          assertThatThrownBy(() -> store.webhook("h".repeat(22)))
              .isInstanceOf(StoreUnavailableException.class)
              .hasCauseInstanceOf(SdkClientException.class);
          assertThatThrownBy(() -> store.commit(incrementCommit("b1")))
              .isInstanceOf(StoreUnavailableException.class);
          assertThatThrownBy(() -> store.countHit("1.2.3.4", Instant.now()))
              .isInstanceOf(StoreUnavailableException.class);
        });
  }

  @Test
  void serverThatNeverAnswers_failsAsStoreUnavailableAndRecoversWhenItAnswers() throws IOException {
    URI real = URI.create(DynamoDbTestServer.endpoint());
    StallingProxy proxy = new StallingProxy(real.getHost(), real.getPort());
    open.add(proxy);
    String table = DynamoDbTestServer.freshTableName("fault-stall");
    DynamoStore store = storeAt("http://127.0.0.1:" + proxy.port(), table);
    store.createTableIfAbsent();
    store.createBot(new Bot("b1", "Bot", "h", 0, Instant.EPOCH));

    proxy.stall(true);
    assertTimeoutPreemptively(
        HANG,
        () -> {
          assertThatThrownBy(() -> store.bot("b1")).isInstanceOf(StoreUnavailableException.class);
          assertThatThrownBy(() -> store.commit(incrementCommit("b1")))
              .isInstanceOf(StoreUnavailableException.class);
        });

    proxy.stall(false);
    assertThat(store.bot("b1")).isPresent();
    store.commit(incrementCommit("b1"));
    assertThat(store.property(PropertyKey.ofBot("b1", "n"))).isPresent();
    Webhook hook = new Webhook("h".repeat(22), "b1", "/x", null, null, null, null, Instant.EPOCH);
    store.putWebhook(hook);
    assertThat(store.webhook(hook.id())).contains(hook);
  }

  private DynamoStore storeAt(String endpoint, String table) {
    Settings settings =
        Settings.from(
            Map.of(
                Settings.Env.TABLE_NAME, table,
                Settings.Env.DYNAMODB_ENDPOINT, endpoint,
                Settings.Env.AWS_REGION, "us-east-1"));
    return DynamoStore.create(settings, SHORT);
  }

  private static Commit incrementCommit(String botId) {
    return new Commit(
        botId,
        List.of(),
        List.of(
            new Commit.PropertyWrite(
                PropertyKey.ofBot(botId, "n"),
                0,
                new PropertyValue(PropertyType.INTEGER, IntNode.valueOf(1)))),
        List.of(
            new OutboxEntry(
                "0000000000001-0000000001-abc",
                botId,
                null,
                OutboxEntry.Kind.MESSAGE,
                "hi",
                null,
                null,
                null,
                null,
                Instant.EPOCH)),
        "commit-" + System.nanoTime());
  }

  /**
   * A TCP proxy to the test server that can stall: while stalled it accepts connections and never
   * answers them, as a stopped server process would.
   */
  private static final class StallingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final String host;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean stalled;

    StallingProxy(String host, int targetPort) throws IOException {
      this.host = host;
      this.targetPort = targetPort;
      this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread accept = new Thread(this::acceptLoop, "stalling-proxy");
      accept.setDaemon(true);
      accept.start();
    }

    int port() {
      return server.getLocalPort();
    }

    void stall(boolean on) {
      stalled = on;
      if (!on) {
        // The server "comes back": connections held while stalled are dropped.
        sockets.forEach(DynamoStoreFaultTest::closeQuietly);
        sockets.clear();
      }
    }

    private void acceptLoop() {
      while (!server.isClosed()) {
        try {
          Socket client = server.accept();
          sockets.add(client);
          if (stalled) {
            continue;
          }
          Socket target = new Socket(host, targetPort);
          sockets.add(target);
          pump(client.getInputStream(), target.getOutputStream(), client, target);
          pump(target.getInputStream(), client.getOutputStream(), client, target);
        } catch (IOException e) {
          // Closed while accepting, or the target refused: the client sees a dropped connection.
        }
      }
    }

    private void pump(InputStream in, OutputStream out, Socket a, Socket b) {
      Thread t =
          new Thread(
              () -> {
                try {
                  in.transferTo(out);
                } catch (IOException e) {
                  // One side closed.
                } finally {
                  closeQuietly(a);
                  closeQuietly(b);
                }
              },
              "stalling-proxy-pump");
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void close() throws IOException {
      server.close();
      sockets.forEach(DynamoStoreFaultTest::closeQuietly);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // Already closed.
    }
  }
}
