package dev.botwebhooks.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.botwebhooks.http.HttpEndpoint;
import dev.botwebhooks.http.HttpRequest;
import dev.botwebhooks.http.HttpResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Runs one event through an endpoint: the shared body of the Lambda handlers. Each endpoint
 * answers its own requests, its own bugs included; this is the last boundary behind them: an event
 * that is not an HTTP request is a 400, and whatever still escapes is logged with the request id
 * and answered with the same status as every bug of ours ({@link HttpResponse#INTERNAL_ERROR}) and
 * a fixed body that reveals nothing.
 */
final class EndpointAdapter {
  static final String INTERNAL_ERROR_BODY = "{\"error\":\"internal error\"}";

  private final HttpEndpoint endpoint;

  EndpointAdapter(HttpEndpoint endpoint) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
  }

  /**
   * Answers a raw invocation payload: an HTTP event through the endpoint, a schedule event through
   * {@code scheduled} (null: this function takes none), anything else 400.
   */
  Object answer(byte[] payload, Context context, Function<ScheduledEvent, Object> scheduled) {
    Object event;
    try {
      event = LambdaEvents.read(payload);
    } catch (MalformedEventException e) {
      return malformed(context, lambdaRequestId(context), e);
    }
    if (event instanceof APIGatewayV2HTTPEvent http) {
      return handle(http, context);
    }
    if (event instanceof APIGatewayProxyRequestEvent rest) {
      return handle(rest, context);
    }
    if (event instanceof ScheduledEvent schedule && scheduled != null) {
      return scheduled.apply(schedule);
    }
    return malformed(
        context, lambdaRequestId(context), new MalformedEventException("not an HTTP event"));
  }

  APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Context context) {
    return translated(id -> ApiGatewayEvents.toRequest(event, id), context);
  }

  APIGatewayV2HTTPResponse handle(APIGatewayProxyRequestEvent event, Context context) {
    return translated(id -> ApiGatewayEvents.toRequest(event, id), context);
  }

  /** {@code translate} gets the Lambda request id, for an event that carries none. */
  private APIGatewayV2HTTPResponse translated(
      Function<String, HttpRequest> translate, Context context) {
    String id = lambdaRequestId(context);
    HttpRequest request;
    try {
      request = translate.apply(id);
    } catch (MalformedEventException e) {
      return malformed(context, id, e);
    }
    return handle(request, context);
  }

  private APIGatewayV2HTTPResponse handle(HttpRequest request, Context context) {
    HttpResponse response;
    try {
      response = endpoint.handle(request);
      if (response == null) {
        throw new IllegalStateException("endpoint answered null");
      }
    } catch (Throwable t) { // the boundary: nothing may escape to the caller
      log(context, "request " + request.requestId() + ": internal error\n" + stackTrace(t));
      response =
          new HttpResponse(
              HttpResponse.INTERNAL_ERROR,
              Map.of(
                  "Content-Type", HttpResponse.JSON,
                  "X-Content-Type-Options", "nosniff",
                  "Cache-Control", "no-store"),
              INTERNAL_ERROR_BODY);
    }
    return ApiGatewayEvents.toResponseEvent(response);
  }

  private static APIGatewayV2HTTPResponse malformed(
      Context context, String requestId, MalformedEventException e) {
    log(context, "request " + requestId + ": malformed event: " + e.getMessage());
    return ApiGatewayEvents.toResponseEvent(HttpResponse.error(400, "malformed event"));
  }

  private static String lambdaRequestId(Context context) {
    return context == null ? "local" : context.getAwsRequestId();
  }

  private static void log(Context context, String message) {
    if (context != null && context.getLogger() != null) {
      context.getLogger().log(message + "\n");
    } else {
      System.err.println(message);
    }
  }

  private static String stackTrace(Throwable t) {
    StringWriter text = new StringWriter();
    t.printStackTrace(new PrintWriter(text));
    return text.toString();
  }
}
