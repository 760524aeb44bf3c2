package dev.botwebhooks.botapi;

import dev.botwebhooks.core.PropertyKey;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.core.PropertyStore;
import dev.botwebhooks.http.HttpResponse;
import java.util.Optional;

/**
 * {@code /bots/{botId}/properties/{name}} and {@code /bots/{botId}/users/{userId}/properties/
 * {name}}: list, read, seed and delete the properties that commands see through {@code
 * Bot.getProperty} and {@code User.getProperty}.
 */
final class PropertyRoutes {
  private final PropertyStore store;
  private final int maxPropertyBytes;

  PropertyRoutes(PropertyStore store, int maxPropertyBytes) {
    this.store = store;
    this.maxPropertyBytes = maxPropertyBytes;
  }

  /**
   * A page of the bot's or the user's properties, by name: the user named by the path, or by
   * {@code ?user_id=} as the messages listing takes it (README "The bot API").
   */
  HttpResponse list(ApiCall call) {
    Optional<String> inPath =
        call.hasParam("userId") ? Optional.of(Fields.userId(call.param("userId"))) : Optional.empty();
    Optional<String> inQuery = call.query("user_id").map(Fields::userId);
    if (inPath.isPresent() && inQuery.isPresent() && !inPath.equals(inQuery)) {
      throw ApiException.badRequest("user_id in the query names another user than the path");
    }
    Optional<String> userId = inPath.or(() -> inQuery);
    var page = store.properties(call.botId(), userId, call.page());
    return HttpResponse.json(200, Shapes.page(page, p -> Shapes.property(p.key(), p.value())));
  }

  HttpResponse get(ApiCall call) {
    PropertyKey key = key(call);
    return store
        .property(key)
        .map(p -> HttpResponse.json(200, Shapes.property(p.key(), p.value())))
        .orElseThrow(() -> ApiException.notFound("no property named '" + key.name() + "'"));
  }

  HttpResponse put(ApiCall call) {
    PropertyKey key = key(call);
    PropertyValue value = PropertyInput.read(call.jsonObject(), maxPropertyBytes);
    store.putProperty(key, value);
    return HttpResponse.json(200, Shapes.property(key, value));
  }

  HttpResponse delete(ApiCall call) {
    PropertyKey key = key(call);
    if (!store.deleteProperty(key)) {
      throw ApiException.notFound("no property named '" + key.name() + "'");
    }
    return Responses.noContent();
  }

  private static PropertyKey key(ApiCall call) {
    String name = Fields.propertyName(call.param("name"));
    if (call.hasParam("userId")) {
      return PropertyKey.ofUser(call.botId(), Fields.userId(call.param("userId")), name);
    }
    return PropertyKey.ofBot(call.botId(), name);
  }
}
