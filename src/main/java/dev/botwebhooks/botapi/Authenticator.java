package dev.botwebhooks.botapi;

import dev.botwebhooks.core.Ids;
import dev.botwebhooks.core.BotStore;
import dev.botwebhooks.http.HttpRequest;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Checks {@code Authorization: Bearer <key>} against a route's access. A missing, malformed or
 * wrong key is a 401 with {@code WWW-Authenticate: Bearer}; a good key of another bot is a 404, the
 * same as a bot that does not exist, so a key never reveals which other bots exist.
 */
final class Authenticator {
  private static final Map<String, String> CHALLENGE = Map.of("WWW-Authenticate", "Bearer");

  private final BotStore store;
  private final ApiKeys keys;
  private final Optional<String> adminKey;

  Authenticator(BotStore store, ApiKeys keys, Optional<String> adminKey) {
    this.store = store;
    this.keys = keys;
    this.adminKey = adminKey;
  }

  /** Admits the request to a route of this access, or throws the 401/403/404 to answer. */
  Caller admit(HttpRequest request, RouteTable.Access access, Map<String, String> params) {
    if (access == RouteTable.Access.ADMIN && adminKey.isEmpty()) {
      throw new ApiException(
          403, "admin calls are disabled: the deployment has no ADMIN_KEY configured");
    }
    Caller caller = authenticate(request);
    if (access == RouteTable.Access.ADMIN) {
      if (!caller.isAdmin()) {
        throw new ApiException(403, "this call needs the admin key, not a bot's key");
      }
      return caller;
    }
    String botId = params.get("botId");
    if (caller.isAdmin()) {
      // The admin may reach any bot, but a bot that does not exist is still a 404.
      if (!Ids.isBotId(botId) || store.bot(botId).isEmpty()) {
        throw ApiException.notFound("no such bot");
      }
      return caller;
    }
    if (!caller.botId().get().equals(botId)) {
      throw ApiException.notFound("no such bot");
    }
    return caller;
  }

  private Caller authenticate(HttpRequest request) {
    Optional<String> header = request.headers().first("Authorization");
    if (header.isEmpty() || header.get().isBlank()) {
      throw unauthorized("Authorization: Bearer <key> is required");
    }
    String value = header.get().trim();
    int space = value.indexOf(' ');
    if (space < 0 || !value.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
      throw unauthorized("Authorization must be 'Bearer <key>'");
    }
    String key = value.substring(space + 1).trim();
    if (key.isEmpty()) {
      throw unauthorized("Authorization must be 'Bearer <key>'");
    }
    if (adminKey.isPresent() && ApiKeys.isAdminKey(key, adminKey.get())) {
      return Caller.admin();
    }
    return keys.botFor(key)
        .map(bot -> Caller.bot(bot.id()))
        .orElseThrow(() -> unauthorized("the key is not valid"));
  }

  private static ApiException unauthorized(String message) {
    return new ApiException(401, message, CHALLENGE);
  }
}
