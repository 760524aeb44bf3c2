package dev.botwebhooks.oplog;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.json.Json;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes {@link LogLine}s of one function as JSON lines in CloudWatch Embedded Metric Format: the
 * line's {@code _aws} block makes CloudWatch extract the metrics {@code Requests}, {@code Failures},
 * one count per {@link Failure} category, {@code Duration} and {@code DynamoDBRequests}, in the
 * namespace {@value #NAMESPACE}, by function and kind, and by function, kind and bot (README
 * "Operator logs and metrics").
 */
public final class OperatorLog {
  public static final String NAMESPACE = "BotWebhooks";

  /** The functions' logical ids in {@code template.yaml}, the {@code function} dimension. */
  public static final String WEBHOOK_FUNCTION = "WebhookFunction";

  public static final String BOT_API_FUNCTION = "BotApiFunction";

  public static final String HTTP_CALL_FUNCTION = "HttpCallFunction";

  private final String function;
  private final Consumer<String> sink;
  private final Clock clock;

  /**
   * @param function the function's logical id in {@code template.yaml}, a metric dimension
   * @param sink where lines go: standard error in the functions (Lambda sends it to CloudWatch as it
   *     does standard output, and locally it keeps invoke.sh's standard output to the response)
   */
  public OperatorLog(String function, Consumer<String> sink, Clock clock) {
    this.function = function;
    this.sink = sink;
    this.clock = clock;
  }

  /** A log of the function on standard error (whichever stream {@code System.err} is then). */
  public static OperatorLog toStandardError(String function, Clock clock) {
    return new OperatorLog(function, line -> System.err.println(line), clock);
  }

  /**
   * A log that writes nothing, for work that is not a request (the primed hit in init). Its lines
   * are made and printed as a real log's are, to a stream that keeps nothing, so that printing is
   * primed too.
   */
  public static OperatorLog silent(String function) {
    PrintStream discard =
        new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
    return new OperatorLog(function, discard::println, Clock.systemUTC());
  }

  public void write(LogLine entry) {
    sink.accept(Json.write(toJson(entry)));
  }

  ObjectNode toJson(LogLine entry) {
    long now = clock.millis();
    ObjectNode line = Json.object();
    line.put("time", clock.instant().toString());
    line.put("function", function);
    line.put("kind", entry.kind());
    line.put("request_id", entry.requestId());
    line.put("bot_id", entry.botId().orElse(null));
    if (entry.status().isPresent()) {
      line.put("status", entry.status().get());
    }
    line.put("failure", entry.failure().map(Failure::category).orElse(null));
    line.put("reason", entry.reason().orElse(null));
    line.put("duration_ms", entry.durationMillis());
    line.put("dynamodb_requests", entry.storeRequests());
    for (Map.Entry<String, Object> d : entry.details().entrySet()) {
      line.set(d.getKey(), Json.MAPPER.valueToTree(d.getValue()));
    }

    // Embedded Metric Format: the metric values are top-level members named by the metrics.
    line.put("Requests", 1);
    line.put("Failures", entry.failure().isPresent() ? 1 : 0);
    for (Failure f : Failure.values()) {
      line.put(f.metric(), entry.failure().filter(f::equals).isPresent() ? 1 : 0);
    }
    line.put("Duration", entry.durationMillis());
    line.put("DynamoDBRequests", entry.storeRequests());

    ObjectNode aws = line.putObject("_aws");
    aws.put("Timestamp", now);
    ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
    directive.put("Namespace", NAMESPACE);
    ArrayNode dimensions = directive.putArray("Dimensions");
    dimensions.addArray().add("function").add("kind");
    if (entry.botId().isPresent()) {
      dimensions.addArray().add("function").add("kind").add("bot_id");
    }
    ArrayNode metrics = directive.putArray("Metrics");
    metric(metrics, "Requests", "Count");
    metric(metrics, "Failures", "Count");
    for (Failure f : Failure.values()) {
      metric(metrics, f.metric(), "Count");
    }
    metric(metrics, "Duration", "Milliseconds");
    metric(metrics, "DynamoDBRequests", "Count");
    return line;
  }

  private static void metric(ArrayNode metrics, String name, String unit) {
    ObjectNode m = metrics.addObject();
    m.put("Name", name);
    m.put("Unit", unit);
  }
}
