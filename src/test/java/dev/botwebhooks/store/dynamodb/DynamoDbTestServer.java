package dev.botwebhooks.store.dynamodb;

import dev.botwebhooks.config.Settings;
import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * The DynamoDB-protocol server the tests use, started by the tests themselves once per JVM: {@code
 * DYNAMODB_ENDPOINT} when set; else LocalStack through Testcontainers when a Docker engine answers;
 * else {@code moto_server} on a free local port. With none of them the tests fail with a message
 * saying how to get one. As a JUnit extension it also stops the server after the run.
 */
public final class DynamoDbTestServer implements BeforeAllCallback {
  /** The LocalStack image tried when Docker is available. */
  public static final String LOCALSTACK_IMAGE = "localstack/localstack:3.8";

  private static final Duration STARTUP = Duration.ofSeconds(60);
  private static String endpoint;
  private static Process moto;
  private static LocalStackContainer localStack;
  private static boolean hookInstalled;

  /** The endpoint of the running server, starting one on first use. */
  public static synchronized String endpoint() {
    if (endpoint == null) {
      endpoint = start();
    }
    return endpoint;
  }

  /**
   * The moto_server process this class started, if it started one (not when the endpoint comes
   * from the environment or LocalStack): fault tests stop and resume it.
   */
  public static synchronized Optional<ProcessHandle> motoProcess() {
    endpoint();
    return Optional.ofNullable(moto).map(Process::toHandle);
  }

  /** Settings that point at the test server and this table, as the service reads them. */
  public static Settings settings(String tableName) {
    return Settings.from(
        Map.of(
            Settings.Env.TABLE_NAME,
            tableName,
            Settings.Env.DYNAMODB_ENDPOINT,
            endpoint(),
            Settings.Env.AWS_REGION,
            "us-east-1"));
  }

  /** A table name no other test uses. */
  public static String freshTableName(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * Timeouts for tests: a local server on a shared, busy machine can take seconds where DynamoDB
   * takes milliseconds, and a spurious timeout would make a test flaky, not better.
   */
  public static final DynamoStore.Timeouts TEST_TIMEOUTS =
      new DynamoStore.Timeouts(Duration.ofSeconds(15), Duration.ofSeconds(45), 3);

  /**
   * A store on a table of the test server (created if absent), its SDK client carrying these
   * interceptors, with {@link #TEST_TIMEOUTS}.
   */
  public static DynamoStore newStore(String tableName, ExecutionInterceptor... interceptors) {
    return newStore(tableName, TEST_TIMEOUTS, interceptors);
  }

  public static DynamoStore newStore(
      String tableName, DynamoStore.Timeouts timeouts, ExecutionInterceptor... interceptors) {
    DynamoStore store = DynamoStore.create(settings(tableName), timeouts, interceptors);
    store.createTableIfAbsent();
    return store;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    endpoint();
    // The root store is closed when the whole test run ends; that stops the server.
    context
        .getRoot()
        .getStore(ExtensionContext.Namespace.create(DynamoDbTestServer.class))
        .getOrComputeIfAbsent("server", k -> (AutoCloseable) DynamoDbTestServer::stop);
  }

  /** Stops the server this class started, if any. */
  public static synchronized void stop() {
    if (moto != null) {
      moto.destroy();
      try {
        if (!moto.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
          moto.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        moto.destroyForcibly();
      }
      moto = null;
      endpoint = null;
    }
    if (localStack != null) {
      localStack.stop();
      localStack = null;
      endpoint = null;
    }
  }

  private static String start() {
    String configured = System.getenv(Settings.Env.DYNAMODB_ENDPOINT);
    if (configured != null && !configured.isBlank()) {
      return configured.trim();
    }
    if (!hookInstalled) {
      Runtime.getRuntime().addShutdownHook(new Thread(DynamoDbTestServer::stop));
      hookInstalled = true;
    }
    if (dockerAvailable()) {
      localStack =
          new LocalStackContainer(DockerImageName.parse(LOCALSTACK_IMAGE))
              // SQS too: the outbound-call queue is tested on the same server.
              .withServices(LocalStackContainer.Service.DYNAMODB, LocalStackContainer.Service.SQS);
      localStack.start();
      return localStack.getEndpoint().toString();
    }
    Optional<Path> motoServer = findMotoServer();
    if (motoServer.isPresent()) {
      return startMoto(motoServer.get());
    }
    throw new IllegalStateException(
        "The DynamoDB tests need a DynamoDB-protocol server and found none. Any one of these"
            + " works: install moto (pip install 'moto[server]', which provides moto_server on"
            + " PATH or in ~/.local/bin or a pyenv version); or run a Docker engine (LocalStack"
            + " is then started through Testcontainers); or set DYNAMODB_ENDPOINT to a running"
            + " DynamoDB-compatible endpoint such as http://127.0.0.1:4566.");
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | Error e) {
      return false;
    }
  }

  /**
   * PATH first, then the usual places pip and pyenv install to: CI shells read no profile, so
   * pyenv's shims may be missing from PATH. The interpreters' own bin directories come before the
   * shims, which fail when no pyenv version is selected.
   */
  static Optional<Path> findMotoServer() {
    List<Path> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        if (!dir.isBlank() && !dir.endsWith("shims")) {
          dirs.add(Path.of(dir));
        }
      }
    }
    Path home = Path.of(System.getProperty("user.home"));
    Path versions = home.resolve(".pyenv/versions");
    if (Files.isDirectory(versions)) {
      try (Stream<Path> list = Files.list(versions)) {
        list.sorted(java.util.Comparator.reverseOrder()).forEach(v -> dirs.add(v.resolve("bin")));
      } catch (IOException e) {
        // An unreadable pyenv directory just holds no candidate.
      }
    }
    dirs.add(home.resolve(".local/bin"));
    dirs.add(Path.of("/usr/local/bin"));
    dirs.add(home.resolve(".pyenv/shims"));
    return dirs.stream().map(d -> d.resolve("moto_server")).filter(Files::isExecutable).findFirst();
  }

  private static String startMoto(Path executable) {
    int port = freePort();
    Path log;
    try {
      log = Files.createTempFile("moto-server-", ".log");
      log.toFile().deleteOnExit();
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a log file for moto_server", e);
    }
    List<String> command = new ArrayList<>();
    Optional<String> python = pythonOf(executable);
    if (python.isPresent()) {
      command.addAll(List.of(python.get(), "-c", SERIALIZED_MOTO));
    } else {
      command.add(executable.toString());
    }
    command.addAll(List.of("-H", "127.0.0.1", "-p", Integer.toString(port)));
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    try {
      moto = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + executable, e);
    }
    String url = "http://127.0.0.1:" + port;
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      if (!moto.isAlive()) {
        throw new IllegalStateException(
            executable + " exited with " + moto.exitValue() + ":\n" + readLog(log));
      }
      if (answers(url)) {
        return url;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    stop();
    throw new IllegalStateException(
        executable + " did not answer on " + url + " within " + STARTUP + ":\n" + readLog(log));
  }

  /**
   * moto_server, with its requests handled one at a time. moto runs a transaction by copying the
   * table, applying the items and restoring the copy on a failed condition; two transactions at
   * once can therefore undo each other's writes, which would break the concurrency tests.
   */
  private static final String SERIALIZED_MOTO =
      String.join(
          "\n",
          "import sys, threading",
          "import werkzeug.serving as serving",
          "run_simple = serving.run_simple",
          "lock = threading.Lock()",
          "def serialized(host, port, app, **kw):",
          "    def one_at_a_time(environ, start_response):",
          "        with lock:",
          "            return list(app(environ, start_response))",
          "    return run_simple(host, port, one_at_a_time, **kw)",
          "serving.run_simple = serialized",
          "from moto.server import main",
          "sys.exit(main())");

  /** The interpreter of a pip-installed moto_server script, read from its first line. */
  private static Optional<String> pythonOf(Path executable) {
    try (var reader = Files.newBufferedReader(executable, StandardCharsets.ISO_8859_1)) {
      String first = reader.readLine();
      if (first != null && first.startsWith("#!") && first.contains("python")) {
        String[] words = first.substring(2).trim().split("\\s+");
        if (words[0].endsWith("/env") && words.length > 1) {
          return Optional.of(words[1]); // found on PATH when run
        }
        if (Files.isExecutable(Path.of(words[0]))) {
          return Optional.of(words[0]);
        }
      }
    } catch (IOException e) {
      // Not readable as a script: run it as it is.
    }
    return Optional.empty();
  }

  private static boolean answers(String url) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create(url + "/").toURL().openConnection();
      c.setConnectTimeout(500);
      c.setReadTimeout(2000);
      c.getResponseCode();
      c.disconnect();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free local port", e);
    }
  }

  private static String readLog(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }
}
