package dev.botwebhooks.botapi;

import dev.botwebhooks.http.HttpResponse;
import java.util.Map;

/** Answers without a JSON body. */
final class Responses {
  private Responses() {}

  /** 204, with the same {@code nosniff} header as every JSON answer. */
  static HttpResponse noContent() {
    return new HttpResponse(
        204, Map.of("X-Content-Type-Options", "nosniff", "Cache-Control", "no-store"), "");
  }
}
