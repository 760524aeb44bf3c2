package dev.botwebhooks.botapi;

import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.Minter;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.http.HttpEndpoint;
import dev.botwebhooks.http.HttpRequest;
import dev.botwebhooks.http.HttpResponse;
import java.time.Clock;

/** The bot-facing API of SPEC §5. */
public final class BotApi implements HttpEndpoint {
  public BotApi(Store store, Minter minter, IdGenerator ids, Clock clock, Settings settings) {}

  @Override
  public HttpResponse handle(HttpRequest request) {
    return HttpResponse.error(501, "not implemented yet");
  }
}
