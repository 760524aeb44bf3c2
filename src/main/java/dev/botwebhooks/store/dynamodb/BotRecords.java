package dev.botwebhooks.store.dynamodb;

import static dev.botwebhooks.store.dynamodb.Attributes.n;
import static dev.botwebhooks.store.dynamodb.Attributes.s;
import static dev.botwebhooks.store.dynamodb.Attributes.str;
import static dev.botwebhooks.store.dynamodb.Keys.BOT_SK;
import static dev.botwebhooks.store.dynamodb.Keys.PK;
import static dev.botwebhooks.store.dynamodb.Keys.SK;
import static dev.botwebhooks.store.dynamodb.Keys.botPk;
import static dev.botwebhooks.store.dynamodb.Keys.key;

import dev.botwebhooks.core.Bot;
import dev.botwebhooks.core.BotCode;
import dev.botwebhooks.core.BotStore.BotAndUser;
import dev.botwebhooks.core.BotUser;
import dev.botwebhooks.core.Command;
import dev.botwebhooks.core.Library;
import dev.botwebhooks.core.StoreUnavailableException;
import dev.botwebhooks.core.Transpiled;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Bots, their users and their code (the {@code BotStore}, {@code UserStore} and {@code CodeStore}
 * roles). A command or library write bumps the bot's code version in the same transaction.
 */
final class BotRecords {
  private final Table table;
  private final Pages pages;

  BotRecords(Table table, Pages pages) {
    this.table = table;
    this.pages = pages;
  }

  void createBot(Bot bot) {
    Map<String, AttributeValue> item = Items.bot(bot);
    table.calls.call(
        "create bot",
        () -> {
          try {
            // A code write before the bot existed leaves an item without a name; that is no bot.
            return table.client.putItem(
                b ->
                    b.tableName(table.name)
                        .item(item)
                        .conditionExpression("attribute_not_exists(#n)")
                        .expressionAttributeNames(Map.of("#n", "name")));
          } catch (ConditionalCheckFailedException e) {
            if (bot(bot.id()).filter(bot::equals).isPresent()) {
              return null; // an SDK retry of this very write, whose first attempt went through
            }
            throw new IllegalStateException("bot id already taken: " + bot.id(), e);
          }
        });
  }

  Optional<Bot> bot(String botId) {
    return table.get(botPk(botId), BOT_SK).flatMap(Items::toBot);
  }

  BotAndUser botAndUser(String botId, Optional<String> userId) {
    if (userId.isEmpty()) {
      return new BotAndUser(bot(botId), Optional.empty());
    }
    List<Map<String, AttributeValue>> found =
        table.batchGet(
            "read bot and user",
            List.of(
                key(botPk(botId), BOT_SK), key(Keys.userPk(botId, userId.get()), Keys.USER_SK)));
    return botAndUserOf(botId, found);
  }

  /** The bot and user among these items, read together with others. */
  static BotAndUser botAndUserOf(String botId, List<Map<String, AttributeValue>> found) {
    Optional<Bot> bot = Optional.empty();
    Optional<BotUser> user = Optional.empty();
    for (Map<String, AttributeValue> item : found) {
      String sk = str(item, SK);
      if (sk.equals(BOT_SK)) {
        bot = Items.toBot(item);
      } else if (sk.equals(Keys.USER_SK)) {
        user = Optional.of(Items.toUser(botId, item));
      }
    }
    return new BotAndUser(bot, user);
  }

  void putUser(BotUser user) {
    table.put("write user", Items.user(user));
  }

  Optional<BotUser> user(String botId, String userId) {
    return table.get(Keys.userPk(botId, userId), Keys.USER_SK).map(i -> Items.toUser(botId, i));
  }

  BotCode code(String botId) {
    return codeAndBot(botId).code();
  }

  /** A bot's code and, from the same query, the bot (empty when there is none). */
  record CodeAndBot(BotCode code, Optional<Bot> bot) {}

  CodeAndBot codeAndBot(String botId) {
    // BOT < CMD#... < LIB#... < LIB$: the bot item, its commands and libraries in one range.
    List<Map<String, AttributeValue>> items =
        pages.all(
            QueryRequest.builder()
                .tableName(table.name)
                .consistentRead(true)
                .keyConditionExpression("#pk = :pk AND #sk BETWEEN :from AND :to")
                .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                .expressionAttributeValues(
                    Map.of(":pk", s(botPk(botId)), ":from", s(BOT_SK), ":to", s(Keys.CODE_END))));
    long version = 0;
    Optional<Bot> bot = Optional.empty();
    List<Command> commands = new ArrayList<>();
    List<Library> libraries = new ArrayList<>();
    for (Map<String, AttributeValue> item : items) {
      String sk = str(item, SK);
      if (sk.equals(BOT_SK)) {
        version = Items.codeVersion(item);
        bot = Items.toBot(item);
      } else if (sk.startsWith(Keys.CMD)) {
        commands.add(Items.toCommand(item));
      } else if (sk.startsWith(Keys.LIB)) {
        libraries.add(Items.toLibrary(item));
      }
    }
    return new CodeAndBot(new BotCode(botId, version, commands, libraries), bot);
  }

  Command putCommand(
      String botId,
      String name,
      List<String> aliases,
      String source,
      Optional<Transpiled> runnable) {
    return putCommandAt(OptionalLong.empty(), botId, name, aliases, source, runnable)
        .orElseThrow();
  }

  /**
   * As {@link #putCommand}; with {@code basedOn}, only while the bot's code version is that one
   * (empty when it is not, or another write came between: the caller reads the code again).
   */
  Optional<Command> putCommandAt(
      OptionalLong basedOn,
      String botId,
      String name,
      List<String> aliases,
      String source,
      Optional<Transpiled> runnable) {
    return putCode(
        botId,
        Keys.CMD + name,
        old -> new Command(name, aliases, source, runnable, Items.version(old) + 1),
        Items::command,
        basedOn);
  }

  Optional<Command> command(String botId, String name) {
    return table.get(botPk(botId), Keys.CMD + name).map(Items::toCommand);
  }

  boolean deleteCommand(String botId, String name) {
    return deleteCode(botId, Keys.CMD + name);
  }

  Library putLibrary(String botId, String name, String source, Optional<Transpiled> runnable) {
    return putCode(
            botId,
            Keys.LIB + name,
            old -> new Library(name, source, runnable, Items.version(old) + 1),
            Items::library,
            OptionalLong.empty())
        .orElseThrow();
  }

  Optional<Library> library(String botId, String name) {
    return table.get(botPk(botId), Keys.LIB + name).map(Items::toLibrary);
  }

  boolean deleteLibrary(String botId, String name) {
    return deleteCode(botId, Keys.LIB + name);
  }

  /**
   * Writes a command or library and bumps the bot's code version in one transaction; the write is
   * conditional on the version read just before, and tried again if another write came between.
   * With {@code basedOn}, the bump is conditional on the bot's code version too, and a write that
   * another came between is not tried again: empty.
   */
  private <T> Optional<T> putCode(
      String botId,
      String sk,
      Function<Optional<Map<String, AttributeValue>>, T> next,
      Function<T, Map<String, AttributeValue>> attributes,
      OptionalLong basedOn) {
    for (int attempt = 0; ; attempt++) {
      Optional<Map<String, AttributeValue>> old = table.get(botPk(botId), sk);
      T value = next.apply(old);
      Map<String, AttributeValue> item = key(botPk(botId), sk);
      item.putAll(attributes.apply(value));
      Put.Builder put = Put.builder().tableName(table.name).item(item);
      if (old.isEmpty()) {
        put.conditionExpression("attribute_not_exists(#pk)")
            .expressionAttributeNames(Map.of("#pk", PK));
      } else {
        put.conditionExpression("#v = :v")
            .expressionAttributeNames(Map.of("#v", "version"))
            .expressionAttributeValues(Map.of(":v", old.get().get("version")));
      }
      try {
        table.transact(
            "write " + sk,
            List.of(
                TransactWriteItem.builder().put(put.build()).build(),
                bumpCodeVersion(botId, basedOn)),
            UUID.randomUUID().toString());
        return Optional.of(value);
      } catch (TransactionCanceledException e) {
        if (basedOn.isPresent()) {
          return Optional.empty();
        }
        if (attempt == 4) {
          throw new StoreUnavailableException("code write kept conflicting: " + sk, e);
        }
      }
    }
  }

  private boolean deleteCode(String botId, String sk) {
    try {
      table.transact(
          "delete " + sk,
          List.of(
              TransactWriteItem.builder()
                  .delete(
                      Delete.builder()
                          .tableName(table.name)
                          .key(key(botPk(botId), sk))
                          .conditionExpression("attribute_exists(#pk)")
                          .expressionAttributeNames(Map.of("#pk", PK))
                          .build())
                  .build(),
              bumpCodeVersion(botId)),
          UUID.randomUUID().toString());
      return true;
    } catch (TransactionCanceledException e) {
      return false;
    }
  }

  private TransactWriteItem bumpCodeVersion(String botId) {
    return bumpCodeVersion(botId, OptionalLong.empty());
  }

  /** Adds one to the bot's code version; with {@code basedOn}, only from that version. */
  private TransactWriteItem bumpCodeVersion(String botId, OptionalLong basedOn) {
    Update.Builder update =
        Update.builder()
            .tableName(table.name)
            .key(key(botPk(botId), BOT_SK))
            .updateExpression("ADD #cv :one")
            .expressionAttributeNames(Map.of("#cv", "codeVersion"));
    if (basedOn.isEmpty()) {
      update.expressionAttributeValues(Map.of(":one", n(1)));
    } else {
      // A bot whose code was never written has no codeVersion yet: version 0.
      update
          .conditionExpression(
              basedOn.getAsLong() == 0 ? "attribute_not_exists(#cv) OR #cv = :v" : "#cv = :v")
          .expressionAttributeValues(Map.of(":one", n(1), ":v", n(basedOn.getAsLong())));
    }
    return TransactWriteItem.builder().update(update.build()).build();
  }
}
