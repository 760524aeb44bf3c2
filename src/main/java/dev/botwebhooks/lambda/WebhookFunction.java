package dev.botwebhooks.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.core.BackgroundTask;
import dev.botwebhooks.http.HttpEndpoint;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.wiring.Deployment;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.ToIntFunction;

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

  /** How long a snapshotted init waits for the next runs' spare scopes at most. */
  private static final Duration SPARE_SCOPES_WAIT = Duration.ofSeconds(2);

  private final EndpointAdapter adapter;
  /** Runs due runs, claiming none that could not finish before the instant, if one is given. */
  private final ToIntFunction<Optional<Instant>> dueRuns;
  private final IntSupplier untrustingRuns;
  private final Runnable replaceEnvironment;

  /** Called by the Lambda runtime once per container: wires the deployment from the environment. */
  public WebhookFunction() {
    this(HandlerDeployment.fromEnvironment(true));
  }

  private WebhookFunction(Deployment deployment) {
    this(
        primed(deployment).webhooks(),
        deployment.hitService()::runDueRuns,
        deployment::untrustingRuns,
        System.getenv(RUNTIME_API) == null ? () -> {} : () -> Runtime.getRuntime().halt(1));
  }

  /**
   * Init is snapshotted by SnapStart: a hit run now is one the first request does not pay for. It
   * goes in as an HTTP API event and comes out as bytes, through this handler's own {@link
   * #handleRequest}, so the whole way from event to answer is loaded too. An init on the request's
   * path runs its one priming hit on a thread of its own (once the script runtime is built) while
   * this one sends the real store's priming reads, which mostly wait on the network; an init off
   * the request's path runs its priming hits here, on the thread the runtime then hands requests
   * to, so that what the hit path keeps per thread there (Jackson's buffer recyclers, for one) is
   * warm too, and waits for the spare scopes before its last ones (README "Performance").
   */
  private static Deployment primed(Deployment deployment) {
    String initializationType = System.getenv(INITIALIZATION_TYPE);
    if (initOffTheRequestPath(initializationType)) {
      deployment.primeStore();
      prime(deployment, primingHits(initializationType) - LAST_PRIMING_HITS);
      deployment.primeCommit();
      deployment.awaitSpareScopes(SPARE_SCOPES_WAIT);
      prime(deployment, LAST_PRIMING_HITS);
      return deployment;
    }
    BackgroundTask<Integer> hit =
        BackgroundTask.start(
            "priming-hit", () -> prime(deployment, primingHits(initializationType)));
    deployment.primeStore();
    hit.join();
    return deployment;
  }

  /**
   * Runs the deployment's priming hit {@code times} times, as a POST of JSON and a browser's GET
   * in turn; returns the status it last answered.
   */
  static int prime(Deployment deployment, int times) {
    int[] sent = {0};
    return deployment.primeHitPath(
        times,
        hit -> {
          WebhookFunction function = new WebhookFunction(hit.endpoint(), () -> 0);
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          try {
            function.handleRequest(
                new ByteArrayInputStream(primingEvent(hit, sent[0]++ % 2 == 0)), out, null);
            return Json.parse(out.toString(StandardCharsets.UTF_8)).path("statusCode").asInt();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /**
   * How many of an off-the-request-path init's priming hits run after it waited for the spare
   * scopes: init then ends on the hit path instead of asleep, and a hit that comes right after
   * others runs faster than one after a pause, however short (README "Performance").
   */
  static final int LAST_PRIMING_HITS = 2;

  /**
   * How many times an init that is off the request's path runs the priming hit: enough for the JIT
   * compiler (C1) to have compiled the busiest part of the hit path, the script compiler's
   * included, before the first request. Not all of it: C1 compiles a method after about 200 calls
   * only while its queue is short, and init keeps it long; more hits compile more of the path and
   * cost init time, without bringing the first invocation nearer a warm one (README
   * "Performance").
   */
  static final int SNAPSHOT_PRIMING_HITS = 300;

  /**
   * How many times init runs the priming hit: once when init is on the first request's path, and
   * {@link #SNAPSHOT_PRIMING_HITS} times when it is not (a SnapStart snapshot, provisioned
   * concurrency).
   */
  static int primingHits(String initializationType) {
    return initOffTheRequestPath(initializationType) ? SNAPSHOT_PRIMING_HITS : 1;
  }

  /**
   * Whether init is paid for by no request: a SnapStart snapshot or provisioned concurrency. Only
   * then does init also prime the store's commit and wait for the spare scopes (README
   * "Performance").
   */
  static boolean initOffTheRequestPath(String initializationType) {
    return "snap-start".equals(initializationType)
        || "provisioned-concurrency".equals(initializationType);
  }

  /**
   * The priming hit as API Gateway's HTTP API delivers it, with every field it sends, so that
   * reading the first real event builds no reader for a field not seen before: a POST of the
   * hit's JSON body, or a browser's GET of the same URL.
   */
  private static byte[] primingEvent(Deployment.PrimingHit hit, boolean post) {
    String method = post ? "POST" : "GET";
    ObjectNode event = Json.object();
    event.put("version", "2.0");
    event.put("routeKey", method + " /hooks/{id}");
    event.put("rawPath", hit.path());
    event.put("rawQueryString", "order=7&tag=a&tag=b&note=caf%C3%A9");
    event.putArray("cookies").add("session=prime").add("theme=dark");
    ObjectNode headers = event.putObject("headers");
    headers.put("accept", post ? "*/*" : "text/html,application/xhtml+xml");
    headers.put("accept-language", "en-GB,en;q=0.9");
    headers.put("host", "localhost");
    headers.put("user-agent", "prime/1.0");
    headers.put("x-amzn-trace-id", "Root=1-00000000-000000000000000000000000");
    headers.put("x-forwarded-for", "127.0.0.1");
    headers.put("x-forwarded-port", "443");
    headers.put("x-forwarded-proto", "https");
    if (post) {
      headers.put("content-type", "application/json");
      headers.put("content-length", Integer.toString(hit.jsonBody().length()));
    }
    event.putObject("queryStringParameters").put("order", "7").put("tag", "a,b").put("note", "café");
    ObjectNode context = event.putObject("requestContext");
    context.put("accountId", "000000000000");
    context.put("apiId", "prime");
    context.put("domainName", "localhost");
    context.put("domainPrefix", "localhost");
    ObjectNode http = context.putObject("http");
    http.put("method", method);
    http.put("path", hit.path());
    http.put("protocol", "HTTP/1.1");
    http.put("sourceIp", "127.0.0.1");
    http.put("userAgent", "prime/1.0");
    context.put("requestId", "prime");
    context.put("routeKey", method + " /hooks/{id}");
    context.put("stage", "$default");
    context.put("time", "01/Jan/2026:00:00:00 +0000");
    context.put("timeEpoch", 1767225600000L);
    event.putObject("pathParameters").put("id", hit.path().substring(hit.path().lastIndexOf('/') + 1));
    if (post) {
      event.put("body", hit.jsonBody());
    }
    event.put("isBase64Encoded", false);
    return Json.write(event).getBytes(StandardCharsets.UTF_8);
  }

  public WebhookFunction(HttpEndpoint webhooks, IntSupplier dueRuns) {
    this(webhooks, endBy -> dueRuns.getAsInt(), () -> 0, () -> {});
  }

  /**
   * A function that calls {@code replaceEnvironment} once a run was abandoned (its thread may
   * still be running) or ended in an error that may have broken a class for later runs: in Lambda
   * it ends the process before the answer is sent, so Lambda starts
   * a fresh environment and the gateway answers that hit with its own error (README "When a run
   * does not stop").
   */
  WebhookFunction(
      HttpEndpoint webhooks,
      ToIntFunction<Optional<Instant>> dueRuns,
      IntSupplier untrustingRuns,
      Runnable replaceEnvironment) {
    this.adapter = new EndpointAdapter(webhooks);
    this.dueRuns = Objects.requireNonNull(dueRuns, "dueRuns");
    this.untrustingRuns = Objects.requireNonNull(untrustingRuns, "untrustingRuns");
    this.replaceEnvironment = Objects.requireNonNull(replaceEnvironment, "replaceEnvironment");
  }

  /** One webhook hit. */
  public APIGatewayV2HTTPResponse hit(APIGatewayV2HTTPEvent event, Context context) {
    return adapter.handle(event, context);
  }

  /**
   * The template's one-minute schedule: executes the scheduled runs that are due, claiming only
   * those that can finish within the invocation's remaining time (a run claimed and cut off by the
   * function's timeout would be lost).
   */
  public Map<String, Integer> runDueRuns(ScheduledEvent event, Context context) {
    Optional<Instant> endBy =
        context == null
            ? Optional.empty()
            : Optional.of(Instant.now().plusMillis(context.getRemainingTimeInMillis()));
    return Map.of("due_runs", dueRuns.applyAsInt(endBy));
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    Object answer = adapter.answer(input.readAllBytes(), context, s -> runDueRuns(s, context));
    int untrusting = untrustingRuns.getAsInt();
    if (untrusting > 0) {
      System.err.println(
          "PROCESS UNTRUSTED: " + untrusting + " script run(s) abandoned past their deadline (they"
              + " may still be running) or ended by an error that may have broken a class for"
              + " later runs; replacing this execution environment");
      System.err.flush();
      replaceEnvironment.run();
    }
    output.write(LambdaEvents.write(answer));
    output.flush();
  }
}
