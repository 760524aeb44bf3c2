package dev.botwebhooks.lambda;

import dev.botwebhooks.config.Settings;
import dev.botwebhooks.wiring.Deployment;
import dev.botwebhooks.wiring.ScriptRuntimeAhead;
import dev.botwebhooks.wiring.Seed;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Chooses the deployment a no-arg handler wires. In Lambda it is the DynamoDB table; {@code Invoke}
 * sets {@link #LOCAL_PROPERTY} so that the same constructor runs on the local store (the embedded
 * one, or {@code DYNAMODB_ENDPOINT}'s), which keeps a local cold start honest.
 */
final class HandlerDeployment {
  /** System property that selects {@link Deployment#local}. */
  static final String LOCAL_PROPERTY = "botwebhooks.local";

  /** System property naming a seed file for the embedded store ({@link Seed}), set by Invoke. */
  static final String SEED_PROPERTY = "botwebhooks.seed";

  private HandlerDeployment() {}

  /**
   * @param runsScripts whether the function runs bot scripts: its script runtime is then built on
   *     a thread of its own from now on, beside the store's client ({@link ScriptRuntimeAhead})
   */
  static Deployment fromEnvironment(boolean runsScripts) {
    Settings settings = Settings.fromEnvironment();
    Optional<ScriptRuntimeAhead> runtime =
        runsScripts ? Optional.of(ScriptRuntimeAhead.start(settings)) : Optional.empty();
    return Boolean.getBoolean(LOCAL_PROPERTY)
        ? Deployment.local(
            settings,
            Optional.ofNullable(System.getProperty(SEED_PROPERTY)).map(Path::of).map(Seed::read),
            runtime)
        : Deployment.onDynamoDb(settings, runtime);
  }
}
