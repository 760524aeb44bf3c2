package dev.botwebhooks.lambda;

import dev.botwebhooks.http.HttpEndpoint;
import dev.botwebhooks.http.HttpRequest;
import dev.botwebhooks.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An endpoint that keeps what it was asked and answers a fixed text. */
final class CapturingEndpoint implements HttpEndpoint {
  final List<HttpRequest> requests = new ArrayList<>();

  @Override
  public HttpResponse handle(HttpRequest request) {
    requests.add(request);
    return new HttpResponse(200, Map.of("Content-Type", "text/plain"), "seen");
  }

  HttpRequest only() {
    if (requests.size() != 1) {
      throw new AssertionError("expected one request, got " + requests.size());
    }
    return requests.get(0);
  }
}
