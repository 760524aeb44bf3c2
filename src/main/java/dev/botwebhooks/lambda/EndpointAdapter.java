package dev.botwebhooks.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import dev.botwebhooks.http.HttpEndpoint;
import dev.botwebhooks.http.HttpRequest;
import dev.botwebhooks.http.HttpResponse;
import dev.botwebhooks.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * Runs one event through an endpoint: the shared body of both Lambda handlers. Each endpoint
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

  void handle(InputStream in, OutputStream out, Context context) throws IOException {
    String lambdaRequestId = context == null ? "local" : context.getAwsRequestId();
    String requestId = lambdaRequestId;
    HttpResponse response;
    try {
      HttpRequest request = ApiGatewayEvents.read(in, lambdaRequestId);
      requestId = request.requestId();
      response = endpoint.handle(request);
      if (response == null) {
        throw new IllegalStateException("endpoint answered null");
      }
    } catch (MalformedEventException e) {
      log(context, "request " + requestId + ": malformed event: " + e.getMessage());
      response = HttpResponse.error(400, "malformed event");
    } catch (Throwable t) { // the boundary: nothing may escape to the caller
      log(context, "request " + requestId + ": internal error\n" + stackTrace(t));
      response =
          new HttpResponse(
              HttpResponse.INTERNAL_ERROR,
              Map.of(
                  "Content-Type", HttpResponse.JSON,
                  "X-Content-Type-Options", "nosniff",
                  "Cache-Control", "no-store"),
              INTERNAL_ERROR_BODY);
    }
    out.write(
        Json.write(ApiGatewayEvents.toResponseEvent(response)).getBytes(StandardCharsets.UTF_8));
    out.flush();
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
