package dev.botwebhooks.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.botwebhooks.http.HttpEndpoint;
import dev.botwebhooks.webhook.HttpCallExecutor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * Runs events through the handlers in this process, as the Lambda runtime would: the local server's
 * and {@code Invoke}'s way in, so that they need not know Lambda's types.
 */
public final class LocalRuntime {
  private final Map<FunctionName, RequestStreamHandler> handlers;

  private LocalRuntime(Map<FunctionName, RequestStreamHandler> handlers) {
    this.handlers = handlers;
  }

  /**
   * Both functions over the given endpoints (which share one store); {@code dueRuns} executes due
   * scheduled runs when the webhook function gets a schedule event.
   */
  public static LocalRuntime of(HttpEndpoint webhooks, IntSupplier dueRuns, HttpEndpoint botApi) {
    Map<FunctionName, RequestStreamHandler> map = new EnumMap<>(FunctionName.class);
    map.put(FunctionName.WEBHOOK, new WebhookFunction(webhooks, dueRuns));
    map.put(FunctionName.BOT_API, new BotApiFunction(botApi));
    return new LocalRuntime(map);
  }

  /** The same, with the outbound-call function over {@code calls}, for its schedule events. */
  public static LocalRuntime of(
      HttpEndpoint webhooks, IntSupplier dueRuns, HttpEndpoint botApi, HttpCallExecutor calls) {
    LocalRuntime runtime = of(webhooks, dueRuns, botApi);
    runtime.handlers.put(FunctionName.HTTP_CALL, new HttpCallFunction(calls));
    return runtime;
  }

  /** Whether this runtime has the function. */
  public boolean serves(FunctionName function) {
    return handlers.containsKey(function);
  }

  /**
   * One function built the way Lambda builds it, by its public no-arg constructor, but wired to the
   * local store (embedded, or {@code DYNAMODB_ENDPOINT}) instead of AWS; the embedded store is
   * loaded with {@code seed} first, when given.
   */
  public static LocalRuntime coldStart(FunctionName function, Optional<Path> seed) {
    System.setProperty(HandlerDeployment.LOCAL_PROPERTY, "true");
    if (seed.isPresent()) {
      System.setProperty(HandlerDeployment.SEED_PROPERTY, seed.get().toString());
    } else {
      System.clearProperty(HandlerDeployment.SEED_PROPERTY);
    }
    // This local runtime's own context type is loaded before the function's init, so that a first
    // invocation's time (README "Performance") is the function's alone, not this runtime's.
    new InvocationContext(function, "init").getAwsRequestId();
    try {
      RequestStreamHandler handler = function.handlerClass().getDeclaredConstructor().newInstance();
      Map<FunctionName, RequestStreamHandler> map = new EnumMap<>(FunctionName.class);
      map.put(function, handler);
      return new LocalRuntime(map);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(
          function.logicalId() + " failed to start: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(function.logicalId() + " cannot be constructed", e);
    }
  }

  /** Runs one event JSON through a function and returns its response JSON. */
  public byte[] invoke(FunctionName function, byte[] event, String requestId) throws IOException {
    RequestStreamHandler handler = handlers.get(function);
    if (handler == null) {
      throw new IllegalArgumentException(function.logicalId() + " is not loaded here");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(
        new ByteArrayInputStream(event), out, new InvocationContext(function, requestId));
    return out.toByteArray();
  }

  /** The few context fields a handler reads; logs go to standard error like a local runtime's. */
  private record InvocationContext(FunctionName function, String requestId) implements Context {
    @Override
    public String getAwsRequestId() {
      return requestId;
    }

    @Override
    public String getLogGroupName() {
      return "/aws/lambda/" + function.logicalId();
    }

    @Override
    public String getLogStreamName() {
      return "local";
    }

    @Override
    public String getFunctionName() {
      return function.logicalId();
    }

    @Override
    public String getFunctionVersion() {
      return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
      return "arn:aws:lambda:local:000000000000:function:" + function.logicalId();
    }

    @Override
    public CognitoIdentity getIdentity() {
      return null;
    }

    @Override
    public ClientContext getClientContext() {
      return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
      return function.timeoutSeconds() * 1000;
    }

    @Override
    public int getMemoryLimitInMB() {
      return 1024;
    }

    @Override
    public LambdaLogger getLogger() {
      return new LambdaLogger() {
        @Override
        public void log(String message) {
          System.err.print(message);
        }

        @Override
        public void log(byte[] message) {
          System.err.print(new String(message, StandardCharsets.UTF_8));
        }
      };
    }
  }
}
