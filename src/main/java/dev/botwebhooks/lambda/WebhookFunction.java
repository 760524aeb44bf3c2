package dev.botwebhooks.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.botwebhooks.http.HttpEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** The Lambda handler of {@code /hooks/{id}}: one webhook hit per invocation. */
public final class WebhookFunction implements RequestStreamHandler {
  private final EndpointAdapter adapter;

  /** Called by the Lambda runtime once per container: wires the deployment from the environment. */
  public WebhookFunction() {
    this(Wiring.fromEnvironment().webhooks());
  }

  public WebhookFunction(HttpEndpoint webhooks) {
    this.adapter = new EndpointAdapter(webhooks, Routes::isWebhookPath);
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    adapter.handle(input, output, context);
  }
}
