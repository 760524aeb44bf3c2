package dev.botwebhooks.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.core.HttpCall;
import dev.botwebhooks.core.StoreUnavailableException;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.queue.HttpCallMessages;
import dev.botwebhooks.webhook.HttpCallExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Function;

/**
 * The Lambda handler of the outbound-call queue (README "Outbound HTTP calls"): an SQS event, each
 * record one call made once (claimed first, so a redelivery is skipped) with its callback run.
 * Answers SQS's partial batch response: a record whose store was unreachable is given back to the
 * queue; a record that is not a call is logged and dropped.
 */
public final class HttpCallFunction implements RequestStreamHandler {
  private final Function<HttpCall, HttpCallExecutor.Outcome> executor;

  /** Called by the Lambda runtime once per container: wires the deployment from the environment. */
  public HttpCallFunction() {
    this(HandlerDeployment.fromEnvironment(true).httpCalls()::execute);
  }

  /** @param executor makes one call and runs its callback */
  public HttpCallFunction(Function<HttpCall, HttpCallExecutor.Outcome> executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    JsonNode event = Json.MAPPER.readTree(input.readAllBytes());
    ObjectNode result = Json.object();
    ArrayNode failures = result.putArray("batchItemFailures");
    // Not read by SQS; says what each record did, for logs and invoke.sh.
    ObjectNode outcomes = result.putObject("outcomes");
    for (JsonNode record : event == null ? Json.object() : event.path("Records")) {
      String messageId = record.path("messageId").asText("");
      HttpCall call;
      try {
        call = HttpCallMessages.read(record.path("body").asText(""));
      } catch (IllegalArgumentException e) {
        System.err.println("dropped message " + messageId + ": not an outbound call");
        continue;
      }
      try {
        HttpCallExecutor.Outcome outcome = executor.apply(call);
        ObjectNode o = outcomes.putObject(messageId);
        o.put("result", outcome.result());
        o.put("http_status", outcome.status());
        o.put("callback_committed", outcome.callbackCommitted());
      } catch (StoreUnavailableException e) {
        failures.addObject().put("itemIdentifier", messageId);
      }
    }
    output.write(Json.write(result).getBytes(StandardCharsets.UTF_8));
  }
}
