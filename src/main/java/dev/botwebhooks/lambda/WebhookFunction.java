package dev.botwebhooks.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.http.HttpEndpoint;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.wiring.Deployment;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * The Lambda handler of {@code /hooks/{id}}: one webhook hit per invocation. The template's
 * one-minute schedule invokes it too, with an EventBridge event, to execute due scheduled runs.
 * Its event model is the AWS Lambda Java Events types: {@link #hit} takes an {@link
 * APIGatewayV2HTTPEvent}, {@link #runDueRuns} a {@link ScheduledEvent}; {@link #handleRequest}
 * tells them apart by their shape and reads the payload into the right one.
 */
public final class WebhookFunction implements RequestStreamHandler {
  /** Set by the Lambda runtime in every execution environment. */
  static final String RUNTIME_API = "AWS_LAMBDA_RUNTIME_API";

  /**
   * Set by the Lambda runtime: {@code on-demand}, {@code provisioned-concurrency} or {@code
   * snap-start}.
   */
  static final String INITIALIZATION_TYPE = "AWS_LAMBDA_INITIALIZATION_TYPE";

  private final EndpointAdapter adapter;
  private final IntSupplier dueRuns;
  private final IntSupplier abandonedRuns;
  private final Runnable replaceEnvironment;

  /** Called by the Lambda runtime once per container: wires the deployment from the environment. */
  public WebhookFunction() {
    this(HandlerDeployment.fromEnvironment(true));
  }

  private WebhookFunction(Deployment deployment) {
    this(
        primed(deployment).webhooks(),
        deployment.hitService()::runDueRuns,
        deployment::abandonedRuns,
        System.getenv(RUNTIME_API) == null ? () -> {} : () -> Runtime.getRuntime().halt(1));
  }

  /**
   * Init is snapshotted by SnapStart: a hit run now is one the first request does not pay for. It
   * goes in as an HTTP API event and comes out as bytes, through the same translation as every
   * request, so that translation is loaded too.
   */
  private static Deployment primed(Deployment deployment) {
    String initializationType = System.getenv(INITIALIZATION_TYPE);
    prime(deployment, primingHits(initializationType));
    if (initOffTheRequestPath(initializationType)) {
      deployment.primeCommit();
    }
    return deployment;
  }

  /** Runs the deployment's priming hit {@code times} times; returns the status it last answered. */
  static int prime(Deployment deployment, int times) {
    return deployment.primeHitPath(
        hit -> {
          EndpointAdapter adapter = new EndpointAdapter(hit.endpoint());
          byte[] event = primingEvent(hit);
          int status = 0;
          for (int i = 0; i < times; i++) {
            Object answer = adapter.answer(event, null, null);
            LambdaEvents.write(answer);
            status = ((APIGatewayV2HTTPResponse) answer).getStatusCode();
          }
          return status;
        });
  }

  /**
   * How many times init runs the priming hit. Once when init is on the first request's path; when
   * it is not (a SnapStart snapshot, provisioned concurrency), 20 times, so that the JIT compiler
   * has compiled most of the hit path before the first request (README "Performance").
   */
  static int primingHits(String initializationType) {
    return initOffTheRequestPath(initializationType) ? 20 : 1;
  }

  /**
   * Whether init is paid for by no request: a SnapStart snapshot or provisioned concurrency. Only
   * then does init also prime the store's commit (README "Performance").
   */
  static boolean initOffTheRequestPath(String initializationType) {
    return "snap-start".equals(initializationType)
        || "provisioned-concurrency".equals(initializationType);
  }

  /** The priming hit as API Gateway's HTTP API would deliver it. */
  private static byte[] primingEvent(Deployment.PrimingHit hit) {
    ObjectNode event = Json.object();
    event.put("version", "2.0");
    event.put("routeKey", "POST /hooks/{id}");
    event.put("rawPath", hit.path());
    event.put("rawQueryString", "order=7&tag=a&tag=b");
    event.putArray("cookies").add("session=prime");
    event.putObject("headers").put("content-type", "application/json");
    event.putObject("queryStringParameters").put("order", "7").put("tag", "a,b");
    ObjectNode context = event.putObject("requestContext");
    context.put("domainName", "localhost");
    context.put("requestId", "prime");
    context.put("stage", "$default");
    ObjectNode http = context.putObject("http");
    http.put("method", "POST");
    http.put("path", hit.path());
    http.put("sourceIp", "127.0.0.1");
    event.put("body", hit.jsonBody());
    event.put("isBase64Encoded", false);
    return Json.write(event).getBytes(StandardCharsets.UTF_8);
  }

  public WebhookFunction(HttpEndpoint webhooks, IntSupplier dueRuns) {
    this(webhooks, dueRuns, () -> 0, () -> {});
  }

  /**
   * A function that calls {@code replaceEnvironment} once a run was abandoned (its thread may
   * still be running): in Lambda it ends the process before the answer is sent, so Lambda starts
   * a fresh environment and the gateway answers that hit with its own error (README "When a run
   * does not stop").
   */
  WebhookFunction(
      HttpEndpoint webhooks,
      IntSupplier dueRuns,
      IntSupplier abandonedRuns,
      Runnable replaceEnvironment) {
    this.adapter = new EndpointAdapter(webhooks);
    this.dueRuns = Objects.requireNonNull(dueRuns, "dueRuns");
    this.abandonedRuns = Objects.requireNonNull(abandonedRuns, "abandonedRuns");
    this.replaceEnvironment = Objects.requireNonNull(replaceEnvironment, "replaceEnvironment");
  }

  /** One webhook hit. */
  public APIGatewayV2HTTPResponse hit(APIGatewayV2HTTPEvent event, Context context) {
    return adapter.handle(event, context);
  }

  /** The template's one-minute schedule: executes the scheduled runs that are due. */
  public Map<String, Integer> runDueRuns(ScheduledEvent event, Context context) {
    return Map.of("due_runs", dueRuns.getAsInt());
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    Object answer = adapter.answer(input.readAllBytes(), context, s -> runDueRuns(s, context));
    int abandoned = abandonedRuns.getAsInt();
    if (abandoned > 0) {
      System.err.println(
          "PROCESS UNTRUSTED: " + abandoned + " script run(s) abandoned past their deadline may"
              + " still be running; replacing this execution environment");
      System.err.flush();
      replaceEnvironment.run();
    }
    output.write(LambdaEvents.write(answer));
    output.flush();
  }
}
