package dev.botwebhooks.wiring;

import dev.botwebhooks.http.Headers;
import dev.botwebhooks.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Sends a deployment's priming hit straight to its endpoint, for tests of init's priming. */
public final class PrimingHits {
  private PrimingHits() {}

  /** The status the priming hit answered. */
  public static int sendDirect(Deployment.PrimingHit hit) {
    return hit.endpoint()
        .handle(
            new HttpRequest(
                "POST", hit.path(), "", Map.of(), Headers.empty(),
                hit.jsonBody().getBytes(StandardCharsets.UTF_8), "127.0.0.1", "prime",
                "http://localhost"))
        .status();
  }
}
