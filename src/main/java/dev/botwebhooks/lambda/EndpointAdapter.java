package dev.botwebhooks.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import dev.botwebhooks.http.HttpEndpoint;
import dev.botwebhooks.http.HttpRequest;
import dev.botwebhooks.http.HttpResponse;
import dev.botwebhooks.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Runs one event through an endpoint: the shared body of both Lambda handlers. This is the
 * service's outer boundary, so it alone catches everything, logs it with the request id, and
 * answers with a fixed body that reveals nothing.
 */
final class EndpointAdapter {
  static final String INTERNAL_ERROR_BODY = "{\"error\":\"internal error\"}";

  private final HttpEndpoint endpoint;
  private final Predicate<String> servesPath;

  EndpointAdapter(HttpEndpoint endpoint, Predicate<String> servesPath) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.servesPath = Objects.requireNonNull(servesPath, "servesPath");
  }

  void handle(InputStream in, OutputStream out, Context context) throws IOException {
    String lambdaRequestId = context == null ? "local" : context.getAwsRequestId();
    String requestId = lambdaRequestId;
    HttpResponse response;
    try {
      HttpRequest request = ApiGatewayEvents.read(in, lambdaRequestId);
      requestId = request.requestId();
      response =
          servesPath.test(request.path())
              ? endpoint.handle(request)
              : HttpResponse.error(404, "no such route");
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
              500,
              Map.of("Content-Type", HttpResponse.JSON, "Cache-Control", "no-store"),
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
