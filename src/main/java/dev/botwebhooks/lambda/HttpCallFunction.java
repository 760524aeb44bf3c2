package dev.botwebhooks.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.core.HttpCall;
import dev.botwebhooks.core.StoreUnavailableException;
import dev.botwebhooks.json.HttpCallJson;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.webhook.HttpCallExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * The Lambda handler of outbound calls (README "Outbound HTTP calls"). An SQS event of the queue:
 * each record one call made once (claimed first, so a redelivery is skipped) with its callback run;
 * it answers SQS's partial batch response: a record whose store was unreachable is given back to
 * the queue; a record that is not a call is logged and dropped. An EventBridge event of the
 * template's one-minute schedule: makes the kept calls that are due, which the queue did not
 * deliver in time, claiming only those that can finish within the invocation's remaining time.
 */
public final class HttpCallFunction implements RequestStreamHandler {
  private final Function<HttpCall, HttpCallExecutor.Outcome> executor;
  private final ToIntFunction<Optional<Instant>> dueCalls;

  /** Called by the Lambda runtime once per container: wires the deployment from the environment. */
  public HttpCallFunction() {
    this(HandlerDeployment.fromEnvironment(true).httpCalls());
  }

  /** A function whose calls and due calls {@code calls} makes. */
  public HttpCallFunction(HttpCallExecutor calls) {
    this(calls::execute, calls::makeDueCalls);
  }

  /**
   * @param executor makes one call and runs its callback
   * @param dueCalls makes the due calls, none claimed that could not finish before the instant,
   *     if one is given
   */
  public HttpCallFunction(
      Function<HttpCall, HttpCallExecutor.Outcome> executor,
      ToIntFunction<Optional<Instant>> dueCalls) {
    this.executor = Objects.requireNonNull(executor, "executor");
    this.dueCalls = Objects.requireNonNull(dueCalls, "dueCalls");
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    JsonNode event = Json.MAPPER.readTree(input.readAllBytes());
    if (event != null && LambdaEvents.isScheduled(event)) {
      Optional<Instant> endBy =
          context == null
              ? Optional.empty()
              : Optional.of(Instant.now().plusMillis(context.getRemainingTimeInMillis()));
      ObjectNode done = Json.object().put("due_calls", dueCalls.applyAsInt(endBy));
      output.write(Json.write(done).getBytes(StandardCharsets.UTF_8));
      return;
    }
    ObjectNode result = Json.object();
    ArrayNode failures = result.putArray("batchItemFailures");
    // Not read by SQS; says what each record did, for logs and invoke.sh.
    ObjectNode outcomes = result.putObject("outcomes");
    for (JsonNode record : event == null ? Json.object() : event.path("Records")) {
      String messageId = record.path("messageId").asText("");
      HttpCall call;
      try {
        call = HttpCallJson.read(record.path("body").asText(""));
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
