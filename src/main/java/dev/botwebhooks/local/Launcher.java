package dev.botwebhooks.local;

import dev.botwebhooks.config.Settings;
import dev.botwebhooks.lambda.LocalRuntime;
import dev.botwebhooks.wiring.Deployment;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Starts the local server from the command line and the environment, and says how to use it; what
 * keeps it from starting (bad arguments, a bad setting, a port in use, an unreachable
 * {@code DYNAMODB_ENDPOINT}) is one line on standard error and an exit code, never a stack trace.
 */
final class Launcher {
  private Launcher() {}

  /** A running server, or the exit code of one that did not start (2: usage or setting). */
  record Launched(Optional<LocalServer> server, int exitCode) {
    static Launched failed(int code) {
      return new Launched(Optional.empty(), code);
    }
  }

  static Launched launch(
      String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.println(Options.USAGE);
      return Launched.failed(2);
    }
    Settings settings;
    LocalServer server;
    boolean generatedKey;
    try {
      Settings env = Settings.from(environment);
      generatedKey = env.adminKey().isEmpty();
      settings =
          new Settings(
              env.tableName(),
              env.dynamoDbEndpoint(),
              env.region(),
              Optional.of(env.adminKey().orElseGet(Launcher::newAdminKey)),
              env.publicBaseUrl(),
              env.ipAllowlist(),
              env.limits(),
              env.deliveryRetention(),
              env.hitLog());
      Deployment deployment = Deployment.local(settings);
      LocalRuntime runtime =
          LocalRuntime.of(
              deployment.webhooks(),
              deployment.hitService()::runDueRuns,
              deployment.botApi(),
              deployment.httpCalls());
      server = LocalServer.start(runtime, options.port(), options.trustForwardedFor());
    } catch (BindException e) {
      err.println(
          "error: port " + options.port() + " on 127.0.0.1 is in use; choose another with --port");
      return Launched.failed(1);
    } catch (IOException e) {
      err.println("error: cannot listen on 127.0.0.1:" + options.port() + ": " + e.getMessage());
      return Launched.failed(1);
    } catch (RuntimeException e) {
      err.println("error: " + StartupProblem.describe(e));
      return Launched.failed(StartupProblem.isSetting(e) ? 2 : 1);
    }
    String adminKey = settings.adminKey().orElseThrow();
    String store =
        settings
            .dynamoDbEndpoint()
            .map(e -> "DynamoDB at " + e + ", table " + settings.tableName())
            .orElse("the embedded in-memory store");
    out.println("Bot webhooks local server: " + server.baseUrl() + " (on " + store + ")");
    out.println(
        "Admin key: "
            + adminKey
            + (generatedKey
                ? "   (generated; set ADMIN_KEY to choose it)"
                : "   (from ADMIN_KEY)"));
    if (options.trustForwardedFor()) {
      out.println("Client IP: the rightmost X-Forwarded-For address when present.");
    }
    out.println();
    out.println("Start with:");
    out.println("  " + Demo.createBotCurl(server.baseUrl(), adminKey));
    out.println("  " + Demo.uploadCommandCurl(server.baseUrl(), "<bot id>", "<api key>"));
    out.println("  " + Demo.mintCurl(server.baseUrl(), "<bot id>", "<api key>"));
    if (options.demo()) {
      out.println();
      try {
        Demo.Seeded seeded = Demo.seed(server.baseUrl(), adminKey);
        seeded.print(out, server.baseUrl());
      } catch (Demo.SeedFailedException e) {
        err.println("The demo bot could not be seeded: " + e.getMessage());
      }
    }
    out.println();
    out.println("Serving until Ctrl-C.");
    out.flush();
    return new Launched(Optional.of(server), 0);
  }

  private static String newAdminKey() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return "adm_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
