package dev.botwebhooks.botapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.core.Bot;
import dev.botwebhooks.core.BotUser;
import dev.botwebhooks.core.Command;
import dev.botwebhooks.core.DeliveryKey;
import dev.botwebhooks.core.ErrorEntry;
import dev.botwebhooks.core.Ids;
import dev.botwebhooks.core.Library;
import dev.botwebhooks.core.Minter;
import dev.botwebhooks.core.OutboxEntry;
import dev.botwebhooks.core.Page;
import dev.botwebhooks.core.PropertyKey;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.core.Webhook;
import dev.botwebhooks.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The JSON shapes of README "The bot API", in one place. Every field of a shape is always present
 * ({@code null} when unknown), and times are ISO-8601 UTC strings.
 */
final class Shapes {
  private Shapes() {}

  static ObjectNode commandSummary(Command c) {
    ObjectNode o = Json.object();
    o.put("name", c.name());
    ArrayNode aliases = o.putArray("aliases");
    c.aliases().forEach(aliases::add);
    o.put("version", c.version());
    return o;
  }

  static ObjectNode command(Command c) {
    return commandSummary(c).put("source", c.source());
  }

  static ObjectNode librarySummary(Library l) {
    ObjectNode o = Json.object();
    o.put("name", l.name());
    o.put("version", l.version());
    return o;
  }

  static ObjectNode library(Library l) {
    return librarySummary(l).put("source", l.source());
  }

  /** A hook as minted and as listed: {@code id, url, command, user_id, ...}. */
  static ObjectNode webhook(Webhook w, String baseUrl) {
    ObjectNode o = Json.object();
    o.put("id", w.id());
    o.put("url", Minter.urlOf(baseUrl, w.id()));
    o.put("command", w.command());
    putId(o, "user_id", w.userId());
    o.put("redirect_to", w.redirectTo() == null ? null : w.redirectTo().toString());
    o.put("expires_at", time(w.expiresAt()));
    o.put("created_at", time(w.createdAt()));
    o.put("delivery_key", w.delivery().map(DeliveryKey::text).orElse(null));
    return o;
  }

  static ObjectNode property(PropertyKey key, PropertyValue value) {
    ObjectNode o = Json.object();
    o.put("name", key.name());
    o.set("value", value.value());
    o.put("type", value.type().wireName());
    return o;
  }

  /** A bot as listed: never its key or the key's hash. */
  static ObjectNode bot(Bot b) {
    ObjectNode o = Json.object();
    o.put("id", b.id());
    o.put("name", b.name());
    o.put("created_at", time(b.createdAt()));
    return o;
  }

  static ObjectNode user(BotUser u) {
    ObjectNode o = Json.object();
    putId(o, "id", u.id());
    putId(o, "telegramid", u.telegramId());
    o.put("first_name", u.firstName());
    o.put("last_name", u.lastName());
    o.put("username", u.username());
    return o;
  }

  static ObjectNode outboxEntry(OutboxEntry e) {
    ObjectNode o = Json.object();
    o.put("id", e.id());
    putId(o, "user_id", e.userId());
    o.put("kind", e.kind().wireName());
    o.put("text", e.text());
    o.set("keyboard", e.keyboard());
    o.put("method", e.method());
    o.set("params", e.params());
    o.put("hook_id", e.hookId());
    o.put("created_at", time(e.createdAt()));
    return o;
  }

  static ObjectNode errorEntry(ErrorEntry e) {
    ObjectNode o = Json.object();
    o.put("id", e.id());
    o.put("hook_id", e.hookId());
    o.put("command", e.command());
    o.put("message", e.message());
    o.put("limit", e.limit());
    o.put("request_id", e.requestId());
    o.put("created_at", time(e.createdAt()));
    return o;
  }

  /** {@code {"items": [...], "next_cursor": "..." | null}}. */
  static <T> ObjectNode page(Page<T> page, Function<T, ObjectNode> shape) {
    return page(page.items(), page.nextCursor(), shape);
  }

  static <T> ObjectNode page(
      List<T> items, Optional<String> nextCursor, Function<T, ObjectNode> shape) {
    ObjectNode o = Json.object();
    ArrayNode array = o.putArray("items");
    items.forEach(item -> array.add(shape.apply(item)));
    o.put("next_cursor", nextCursor.orElse(null));
    return o;
  }

  /** A user or Telegram id as scripts see it: a number when it is one (README "The bot API"). */
  static void putId(ObjectNode o, String field, String id) {
    Optional<Long> number = Ids.numeric(id);
    if (number.isPresent()) {
      o.put(field, number.get());
    } else {
      o.put(field, id);
    }
  }

  private static String time(Instant at) {
    return at == null ? null : at.toString();
  }
}
