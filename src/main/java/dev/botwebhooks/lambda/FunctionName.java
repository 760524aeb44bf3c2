package dev.botwebhooks.lambda;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.util.Arrays;
import java.util.Optional;

/** The three functions of the deployment, by their logical id in {@code template.yaml}. */
public enum FunctionName {
  WEBHOOK("WebhookFunction", WebhookFunction.class, 20),
  BOT_API("BotApiFunction", BotApiFunction.class, 20),
  HTTP_CALL("HttpCallFunction", HttpCallFunction.class, 60);

  private final String logicalId;
  private final Class<? extends RequestStreamHandler> handlerClass;
  private final int timeoutSeconds;

  FunctionName(
      String logicalId, Class<? extends RequestStreamHandler> handlerClass, int timeoutSeconds) {
    this.logicalId = logicalId;
    this.handlerClass = handlerClass;
    this.timeoutSeconds = timeoutSeconds;
  }

  /** The function's {@code Timeout} in {@code template.yaml}, which a local invocation has too. */
  public int timeoutSeconds() {
    return timeoutSeconds;
  }

  /** The resource name in {@code template.yaml}, e.g. {@code WebhookFunction}. */
  public String logicalId() {
    return logicalId;
  }

  /** The {@code Handler} property of the template: {@code class::handleRequest}. */
  public String handler() {
    return handlerClass.getName() + "::handleRequest";
  }

  Class<? extends RequestStreamHandler> handlerClass() {
    return handlerClass;
  }

  public static Optional<FunctionName> byLogicalId(String logicalId) {
    return Arrays.stream(values()).filter(f -> f.logicalId.equals(logicalId)).findFirst();
  }
}
