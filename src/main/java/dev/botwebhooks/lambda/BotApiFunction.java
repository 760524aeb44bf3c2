package dev.botwebhooks.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.botwebhooks.http.HttpEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** The Lambda handler of the bot-facing API under {@code /bots}. */
public final class BotApiFunction implements RequestStreamHandler {
  private final EndpointAdapter adapter;

  /** Called by the Lambda runtime once per container: wires the deployment from the environment. */
  public BotApiFunction() {
    this(HandlerDeployment.fromEnvironment().botApi());
  }

  public BotApiFunction(HttpEndpoint botApi) {
    this.adapter = new EndpointAdapter(botApi);
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    adapter.handle(input, output, context);
  }
}
