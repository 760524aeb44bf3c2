package dev.botwebhooks.botapi;

import dev.botwebhooks.core.LogStore;
import dev.botwebhooks.http.HttpResponse;
import java.util.Optional;

/**
 * {@code GET /bots/{botId}/messages} and {@code GET /bots/{botId}/errors}: the outbox (optionally
 * one user's) and the error log, newest first, paged.
 */
final class LogRoutes {
  private final LogStore store;

  LogRoutes(LogStore store) {
    this.store = store;
  }

  HttpResponse messages(ApiCall call) {
    Optional<String> userId = call.query("user_id").map(Fields::userId);
    return HttpResponse.json(
        200, Shapes.page(store.messages(call.botId(), userId, call.page()), Shapes::outboxEntry));
  }

  HttpResponse errors(ApiCall call) {
    return HttpResponse.json(
        200, Shapes.page(store.errors(call.botId(), call.page()), Shapes::errorEntry));
  }
}
