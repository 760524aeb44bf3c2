package dev.botwebhooks.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.http.HttpEndpoint;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.wiring.Deployment;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * The Lambda handler of {@code /hooks/{id}}: one webhook hit per invocation. The template's
 * one-minute schedule invokes it too, with an EventBridge event, to execute due scheduled runs.
 */
public final class WebhookFunction implements RequestStreamHandler {
  private static final byte[] SCHEDULE_SOURCE = "aws.events".getBytes(StandardCharsets.US_ASCII);

  private final EndpointAdapter adapter;
  private final IntSupplier dueRuns;

  /** Called by the Lambda runtime once per container: wires the deployment from the environment. */
  public WebhookFunction() {
    this(HandlerDeployment.fromEnvironment());
  }

  private WebhookFunction(Deployment deployment) {
    this(primed(deployment).webhooks(), deployment.hitService()::runDueRuns);
  }

  /** Init is snapshotted by SnapStart: a hit run now is one the first request does not pay for. */
  private static Deployment primed(Deployment deployment) {
    deployment.primeHitPath();
    return deployment;
  }

  public WebhookFunction(HttpEndpoint webhooks, IntSupplier dueRuns) {
    this.adapter = new EndpointAdapter(webhooks);
    this.dueRuns = Objects.requireNonNull(dueRuns, "dueRuns");
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    byte[] event = input.readAllBytes();
    if (isScheduledEvent(event)) {
      ObjectNode result = Json.object();
      result.put("due_runs", dueRuns.getAsInt());
      output.write(Json.write(result).getBytes(StandardCharsets.UTF_8));
      return;
    }
    adapter.handle(new ByteArrayInputStream(event), output, context);
  }

  /** An EventBridge event ({@code "source": "aws.events"}), never an HTTP request. */
  static boolean isScheduledEvent(byte[] event) {
    if (!contains(event, SCHEDULE_SOURCE)) {
      return false;
    }
    try {
      JsonNode tree = Json.MAPPER.readTree(event);
      return tree != null && "aws.events".equals(tree.path("source").asText(null));
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
