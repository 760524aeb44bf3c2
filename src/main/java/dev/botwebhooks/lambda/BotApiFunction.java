package dev.botwebhooks.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.botwebhooks.http.HttpEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The Lambda handler of the bot-facing API under {@code /bots}. Its event model is the AWS Lambda
 * Java Events types: {@link #call} takes an {@link APIGatewayV2HTTPEvent}; {@link #handleRequest}
 * reads the payload into it (or into the REST API's payload 1.0 type) and writes the {@link
 * APIGatewayV2HTTPResponse} back.
 */
public final class BotApiFunction implements RequestStreamHandler {
  private final EndpointAdapter adapter;

  /** Called by the Lambda runtime once per container: wires the deployment from the environment. */
  public BotApiFunction() {
    this(HandlerDeployment.fromEnvironment(false).botApi());
  }

  public BotApiFunction(HttpEndpoint botApi) {
    this.adapter = new EndpointAdapter(botApi);
  }

  /** One bot API call. */
  public APIGatewayV2HTTPResponse call(APIGatewayV2HTTPEvent event, Context context) {
    return adapter.handle(event, context);
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    output.write(LambdaEvents.write(adapter.answer(input.readAllBytes(), context, null)));
    output.flush();
  }
}
