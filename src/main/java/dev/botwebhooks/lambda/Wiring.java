package dev.botwebhooks.lambda;

import dev.botwebhooks.config.Settings;
import dev.botwebhooks.wiring.Deployment;

/**
 * Chooses the deployment a no-arg handler wires. In Lambda it is the DynamoDB table; {@code Invoke}
 * sets {@link #LOCAL_PROPERTY} so that the same constructor runs on the local store (the embedded
 * one, or {@code DYNAMODB_ENDPOINT}'s), which keeps a local cold start honest.
 */
final class Wiring {
  /** System property that selects {@link Deployment#local}. */
  static final String LOCAL_PROPERTY = "botwebhooks.local";

  private Wiring() {}

  static Deployment fromEnvironment() {
    Settings settings = Settings.fromEnvironment();
    return Boolean.getBoolean(LOCAL_PROPERTY)
        ? Deployment.local(settings)
        : Deployment.onDynamoDb(settings);
  }
}
