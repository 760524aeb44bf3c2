package dev.botwebhooks.botapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.core.BotUser;
import dev.botwebhooks.core.UserStore;
import dev.botwebhooks.http.HttpResponse;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code /bots/{botId}/users/{userId}}: registers a user or updates the fields that scripts see in
 * {@code user}. A field left out keeps its value; a field sent as {@code null} is cleared.
 */
final class UserRoutes {
  private static final Set<String> FIELDS =
      Set.of("telegramid", "first_name", "last_name", "username");
  private static final Pattern TELEGRAM_ID = Pattern.compile("-?[0-9]{1,20}");

  private final UserStore store;

  UserRoutes(UserStore store) {
    this.store = store;
  }

  HttpResponse put(ApiCall call) {
    String userId = Fields.userId(call.param("userId"));
    ObjectNode body = call.jsonObject();
    Fields.requireOnly(body, FIELDS);
    BotUser old = store.user(call.botId(), userId).orElse(BotUser.unknown(call.botId(), userId));
    BotUser user =
        new BotUser(
            call.botId(),
            userId,
            body.has("telegramid") ? telegramId(body.get("telegramid")) : old.telegramId(),
            body.has("first_name") ? label(body, "first_name") : old.firstName(),
            body.has("last_name") ? label(body, "last_name") : old.lastName(),
            body.has("username") ? label(body, "username") : old.username());
    store.putUser(user);
    return HttpResponse.json(200, Shapes.user(user));
  }

  HttpResponse get(ApiCall call) {
    String userId = Fields.userId(call.param("userId"));
    return store
        .user(call.botId(), userId)
        .map(u -> HttpResponse.json(200, Shapes.user(u)))
        .orElseThrow(() -> ApiException.notFound("no user with this id"));
  }

  /** A Telegram id, sent as a JSON integer or as a string of digits; kept as text. */
  private static String telegramId(JsonNode node) {
    if (node.isNull()) {
      return null;
    }
    String text;
    if (node.isIntegralNumber()) {
      text = node.asText();
    } else if (node.isTextual()) {
      text = node.textValue();
    } else {
      throw ApiException.badRequest("telegramid must be an integer or a string of digits");
    }
    if (!TELEGRAM_ID.matcher(text).matches()) {
      throw ApiException.badRequest(
          "telegramid must be an integer or a string of digits, of at most 20 digits");
    }
    return text;
  }

  private static String label(ObjectNode body, String field) {
    return Fields.optionalLabel(body, field).orElse(null);
  }
}
