package dev.botwebhooks.store.dynamodb;

import static dev.botwebhooks.store.dynamodb.Attributes.instant;
import static dev.botwebhooks.store.dynamodb.Attributes.json;
import static dev.botwebhooks.store.dynamodb.Attributes.n;
import static dev.botwebhooks.store.dynamodb.Attributes.num;
import static dev.botwebhooks.store.dynamodb.Attributes.putIfPresent;
import static dev.botwebhooks.store.dynamodb.Attributes.s;
import static dev.botwebhooks.store.dynamodb.Attributes.str;

import dev.botwebhooks.core.Bot;
import dev.botwebhooks.core.BotUser;
import dev.botwebhooks.core.Command;
import dev.botwebhooks.core.DeliveryKey;
import dev.botwebhooks.core.ErrorEntry;
import dev.botwebhooks.core.HttpCall;
import dev.botwebhooks.core.Library;
import dev.botwebhooks.core.Transpiled;
import dev.botwebhooks.core.OutboxEntry;
import dev.botwebhooks.core.PropertyType;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.core.ScheduledRun;
import dev.botwebhooks.core.Webhook;
import dev.botwebhooks.json.HttpCallJson;
import dev.botwebhooks.json.Json;
import java.net.URI;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Each record's attributes, to and from items: the one place that names them. Methods named after a
 * record build its attributes; {@code to...} methods read a record back.
 */
final class Items {
  private Items() {}

  // Bots and code ---------------------------------------------------------------------------------

  static Map<String, AttributeValue> bot(Bot bot) {
    Map<String, AttributeValue> item = Keys.key(Keys.botPk(bot.id()), Keys.BOT_SK);
    item.put("name", s(bot.name()));
    item.put("apiKeyHash", s(bot.apiKeyHash()));
    item.put("codeVersion", n(bot.codeVersion()));
    item.put("createdAt", s(bot.createdAt().toString()));
    return item;
  }

  /** Empty for an item a code write left before the bot existed: it has no name. */
  static Optional<Bot> toBot(Map<String, AttributeValue> item) {
    if (!item.containsKey("name")) {
      return Optional.empty();
    }
    return Optional.of(
        new Bot(
            Keys.botId(str(item, Keys.PK)),
            str(item, "name"),
            str(item, "apiKeyHash"),
            codeVersion(item),
            instant(item, "createdAt")));
  }

  static long codeVersion(Map<String, AttributeValue> item) {
    return num(item, "codeVersion");
  }

  /** The version of a stored command or library; 0 for none. */
  static long version(Optional<Map<String, AttributeValue>> item) {
    return item.map(i -> num(i, "version")).orElse(0L);
  }

  static Map<String, AttributeValue> command(Command c) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("name", s(c.name()));
    item.put("aliases", AttributeValue.fromL(c.aliases().stream().map(Attributes::s).toList()));
    item.put("source", s(c.source()));
    putRunnable(item, c.runnable());
    item.put("version", n(c.version()));
    return item;
  }

  /** The transpiled form beside the source, when there is one (README "Transpiling at upload"). */
  private static void putRunnable(Map<String, AttributeValue> item, Optional<Transpiled> runnable) {
    runnable.ifPresent(
        r -> {
          item.put("runnable", s(r.code()));
          item.put("runnableLines", s(r.linesText()));
        });
  }

  private static Optional<Transpiled> runnable(Map<String, AttributeValue> item) {
    return Optional.ofNullable(item.get("runnable"))
        .map(code -> new Transpiled(code.s(), Transpiled.parseLines(str(item, "runnableLines"))));
  }

  static Command toCommand(Map<String, AttributeValue> item) {
    AttributeValue aliases = item.get("aliases");
    List<String> names =
        aliases == null || !aliases.hasL()
            ? List.of()
            : aliases.l().stream().map(AttributeValue::s).toList();
    return new Command(
        str(item, "name"), names, str(item, "source"), runnable(item), num(item, "version"));
  }

  static Map<String, AttributeValue> library(Library l) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("name", s(l.name()));
    item.put("source", s(l.source()));
    putRunnable(item, l.runnable());
    item.put("version", n(l.version()));
    return item;
  }

  static Library toLibrary(Map<String, AttributeValue> item) {
    return new Library(
        str(item, "name"), str(item, "source"), runnable(item), num(item, "version"));
  }

  // Users -----------------------------------------------------------------------------------------

  static Map<String, AttributeValue> user(BotUser user) {
    Map<String, AttributeValue> item = Keys.key(Keys.userPk(user.botId(), user.id()), Keys.USER_SK);
    item.put("userId", s(user.id()));
    putIfPresent(item, "telegramId", user.telegramId());
    putIfPresent(item, "firstName", user.firstName());
    putIfPresent(item, "lastName", user.lastName());
    putIfPresent(item, "username", user.username());
    return item;
  }

  static BotUser toUser(String botId, Map<String, AttributeValue> item) {
    return new BotUser(
        botId,
        str(item, "userId"),
        str(item, "telegramId"),
        str(item, "firstName"),
        str(item, "lastName"),
        str(item, "username"));
  }

  // Webhooks --------------------------------------------------------------------------------------

  static Map<String, AttributeValue> webhook(Webhook hook) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("id", s(hook.id()));
    item.put("botId", s(hook.botId()));
    item.put("command", s(hook.command()));
    putIfPresent(item, "userId", hook.userId());
    putIfPresent(item, "content", hook.content());
    putIfPresent(
        item, "redirectTo", hook.redirectTo() == null ? null : hook.redirectTo().toString());
    item.put("createdAt", s(hook.createdAt().toString()));
    putIfPresent(item, "deliveryKey", hook.delivery().map(DeliveryKey::text).orElse(null));
    if (hook.expiresAt() != null) {
      item.put("expiresAt", s(hook.expiresAt().toString()));
      // DynamoDB deletes it some time after; webhook() callers check the expiry themselves.
      item.put(Keys.TTL, n(hook.expiresAt().getEpochSecond()));
    }
    return item;
  }

  static Webhook toWebhook(Map<String, AttributeValue> item) {
    String redirect = str(item, "redirectTo");
    String deliveryKey = str(item, "deliveryKey");
    return new Webhook(
        str(item, "id"),
        str(item, "botId"),
        str(item, "command"),
        str(item, "userId"),
        str(item, "content"),
        redirect == null ? null : URI.create(redirect),
        instant(item, "expiresAt"),
        instant(item, "createdAt"),
        deliveryKey == null ? null : DeliveryKey.parse(deliveryKey));
  }

  // Properties ------------------------------------------------------------------------------------

  /** Whether a property item holds a value (else it is a tombstone). */
  static boolean hasValue(Map<String, AttributeValue> item) {
    return item.containsKey(Keys.PVAL);
  }

  static long propertyVersion(Map<String, AttributeValue> item) {
    return num(item, Keys.VER);
  }

  static PropertyValue toValue(Map<String, AttributeValue> item) {
    PropertyType type =
        PropertyType.fromWireName(str(item, Keys.PTYPE))
            .orElseThrow(() -> new IllegalStateException("stored property has no known type"));
    return new PropertyValue(type, json(item, Keys.PVAL));
  }

  // Outbox and error log --------------------------------------------------------------------------

  static Map<String, AttributeValue> outboxEntry(OutboxEntry e) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("id", s(e.id()));
    item.put("botId", s(e.botId()));
    putIfPresent(item, "userId", e.userId());
    item.put("kind", s(e.kind().name()));
    putIfPresent(item, "text", e.text());
    putIfPresent(item, "keyboard", e.keyboard() == null ? null : Json.write(e.keyboard()));
    putIfPresent(item, "method", e.method());
    putIfPresent(item, "params", e.params() == null ? null : Json.write(e.params()));
    putIfPresent(item, "hookId", e.hookId());
    item.put("createdAt", s(e.createdAt().toString()));
    return item;
  }

  /** The entries of an outbox item, newest first: one, or a pack of them. */
  static List<OutboxEntry> toOutboxEntries(Map<String, AttributeValue> item) {
    AttributeValue packed = item.get(OutboxPacks.ENTRIES);
    if (packed == null || !packed.hasL()) {
      return List.of(toOutboxEntry(item));
    }
    return packed.l().stream()
        .map(v -> toOutboxEntry(v.m()))
        .sorted(Comparator.comparing(OutboxEntry::id).reversed())
        .toList();
  }

  private static OutboxEntry toOutboxEntry(Map<String, AttributeValue> item) {
    return new OutboxEntry(
        str(item, "id"),
        str(item, "botId"),
        str(item, "userId"),
        OutboxEntry.Kind.valueOf(str(item, "kind")),
        str(item, "text"),
        json(item, "keyboard"),
        str(item, "method"),
        json(item, "params"),
        str(item, "hookId"),
        instant(item, "createdAt"));
  }

  static Map<String, AttributeValue> error(ErrorEntry e) {
    Map<String, AttributeValue> item = Keys.key(Keys.errPk(e.botId()), e.id());
    item.put("id", s(e.id()));
    item.put("botId", s(e.botId()));
    putIfPresent(item, "hookId", e.hookId());
    putIfPresent(item, "command", e.command());
    item.put("message", s(e.message()));
    putIfPresent(item, "limit", e.limit());
    putIfPresent(item, "requestId", e.requestId());
    item.put("createdAt", s(e.createdAt().toString()));
    return item;
  }

  static ErrorEntry toError(Map<String, AttributeValue> item) {
    return new ErrorEntry(
        str(item, "id"),
        str(item, "botId"),
        str(item, "hookId"),
        str(item, "command"),
        str(item, "message"),
        str(item, "limit"),
        str(item, "requestId"),
        instant(item, "createdAt"));
  }

  // Scheduled runs --------------------------------------------------------------------------------

  static Map<String, AttributeValue> scheduledRun(ScheduledRun run) {
    Map<String, AttributeValue> item = Keys.key(Keys.schedulePk(run), Keys.scheduleSk(run));
    item.put("id", s(run.id()));
    item.put("botId", s(run.botId()));
    putIfPresent(item, "hookId", run.hookId());
    item.put("message", s(run.message()));
    item.put("options", s(Json.write(run.options())));
    putIfPresent(item, "userId", run.userId());
    item.put("dueAt", s(run.dueAt().toString()));
    item.put("label", s(run.label()));
    item.put("baseUrl", s(run.baseUrl()));
    return item;
  }

  static ScheduledRun toScheduledRun(Map<String, AttributeValue> item) {
    return new ScheduledRun(
        str(item, "id"),
        str(item, "botId"),
        str(item, "hookId"),
        str(item, "message"),
        json(item, "options"),
        str(item, "userId"),
        instant(item, "dueAt"),
        str(item, "label"),
        str(item, "baseUrl"));
  }

  static Map<String, AttributeValue> httpCall(HttpCall call) {
    Map<String, AttributeValue> item = Keys.key(Keys.callPk(call), call.id());
    item.put("call", s(HttpCallJson.write(call)));
    return item;
  }

  static HttpCall toHttpCall(Map<String, AttributeValue> item) {
    return HttpCallJson.read(str(item, "call"));
  }
}
