package dev.botwebhooks.webhook;

import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.Minter;
import dev.botwebhooks.core.ScriptRuntime;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.http.HttpEndpoint;
import dev.botwebhooks.http.HttpRequest;
import dev.botwebhooks.http.HttpResponse;
import java.time.Clock;

/** {@code GET|POST /hooks/{id}}: runs the hook's command and answers as SPEC §4 says. */
public final class WebhookEndpoint implements HttpEndpoint {
  public WebhookEndpoint(
      Store store,
      ScriptRuntime runtime,
      Minter minter,
      IdGenerator ids,
      Clock clock,
      Settings settings) {}

  @Override
  public HttpResponse handle(HttpRequest request) {
    return HttpResponse.error(501, "not implemented yet");
  }
}
