package dev.botwebhooks.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botwebhooks.core.Bot;
import dev.botwebhooks.core.BotUser;
import dev.botwebhooks.core.ErrorEntry;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.InvalidCursorException;
import dev.botwebhooks.core.Page;
import dev.botwebhooks.core.PageRequest;
import dev.botwebhooks.core.PropertyKey;
import dev.botwebhooks.core.PropertyType;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.core.StoredProperty;
import dev.botwebhooks.core.Webhook;
import dev.botwebhooks.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the bot API's owner calls need of every {@link Store}: properties listed by name and paged,
 * bots listed and paged, a key's hash replaced, a bot deleted with what it owns.
 */
public abstract class OwnerContract {
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

  protected final IdGenerator ids = IdGenerator.secure();
  protected Store store;
  protected String botId;

  /** A new store with nothing in it (or nothing another test can see). */
  protected abstract Store newStore();

  @BeforeEach
  void setUpStore() {
    store = newStore();
    botId = "bot-" + ids.random(6);
    store.createBot(new Bot(botId, "Owner bot", "hash-1", 0, T0));
  }

  private static PropertyValue integer(int n) {
    return new PropertyValue(PropertyType.INTEGER, Json.object().numberNode(n));
  }

  /** Every item of a listing, following its cursors with pages of {@code limit}. */
  private static <T> List<T> all(int limit, Function<PageRequest, Page<T>> read) {
    List<T> items = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Page<T> page = read.apply(new PageRequest(limit, cursor));
      assertThat(page.items()).hasSizeLessThanOrEqualTo(limit);
      items.addAll(page.items());
      cursor = page.nextCursor();
    } while (cursor.isPresent());
    return items;
  }

  @Test
  void properties_ofBotAndOfUser_byName_paged_withoutDeletedOrOthers() {
    for (String name : List.of("c", "a", "e", "b", "d", "gone")) {
      store.putProperty(PropertyKey.ofBot(botId, name), integer(name.length()));
    }
    store.deleteProperty(PropertyKey.ofBot(botId, "gone"));
    store.putProperty(PropertyKey.ofUser(botId, "u1", "score"), integer(7));
    store.putProperty(PropertyKey.ofUser(botId, "u2", "other"), integer(8));

    List<StoredProperty> bot = all(2, p -> store.properties(botId, Optional.empty(), p));
    List<StoredProperty> user = all(2, p -> store.properties(botId, Optional.of("u1"), p));

    assertThat(bot).extracting(p -> p.key().name()).containsExactly("a", "b", "c", "d", "e");
    assertThat(bot.getFirst().value()).isEqualTo(integer(1));
    assertThat(bot.getFirst().key()).isEqualTo(PropertyKey.ofBot(botId, "a"));
    assertThat(user).extracting(StoredProperty::key)
        .containsExactly(PropertyKey.ofUser(botId, "u1", "score"));
    assertThat(user.getFirst().value()).isEqualTo(integer(7));
  }

  @Test
  void properties_exactlyOnePage_hasNoCursor_andNoneIsEmpty() {
    store.putProperty(PropertyKey.ofBot(botId, "a"), integer(1));
    store.putProperty(PropertyKey.ofBot(botId, "b"), integer(2));

    Page<StoredProperty> page = store.properties(botId, Optional.empty(), PageRequest.first(2));

    assertThat(page.items()).hasSize(2);
    assertThat(page.nextCursor()).isEmpty();
    assertThat(store.properties(botId, Optional.of("nobody"), PageRequest.first(5)).items())
        .isEmpty();
  }

  @Test
  void properties_foreignCursor_isRefused() {
    assertThatThrownBy(
            () -> store.properties(botId, Optional.empty(), new PageRequest(5, Optional.of("x!"))))
        .isInstanceOf(InvalidCursorException.class);
  }

  @Test
  void bots_listsEachBotOnce_acrossPages() {
    List<String> made = new ArrayList<>(List.of(botId));
    for (int i = 0; i < 4; i++) {
      String id = "bot-" + ids.random(6);
      store.createBot(new Bot(id, "Bot " + i, "hash", 0, T0));
      made.add(id);
    }
    // Code written for no bot leaves no bot to list.
    store.putCommand("bot-" + ids.random(6), "/x", List.of(), "1");

    List<Bot> listed = all(2, store::bots);

    assertThat(listed).extracting(Bot::id).containsExactlyInAnyOrderElementsOf(made);
    assertThat(listed).contains(store.bot(botId).orElseThrow());
  }

  @Test
  void replaceApiKeyHash_replacesOnlyTheHash_unknownBotIsFalse() {
    assertThat(store.replaceApiKeyHash(botId, "hash-2")).isTrue();

    assertThat(store.bot(botId)).contains(new Bot(botId, "Owner bot", "hash-2", 0, T0));
    assertThat(store.replaceApiKeyHash("bot-" + ids.random(6), "hash-3")).isFalse();
    assertThat(all(10, store::bots)).hasSize(1);
  }

  @Test
  void deleteBot_removesTheBotAndWhatItOwns_othersStay() {
    String other = "bot-" + ids.random(6);
    store.createBot(new Bot(other, "Other", "hash", 0, T0));
    Webhook hook = new Webhook(ids.randomId(), botId, "/g", "u1", null, null, null, T0);
    Webhook kept = new Webhook(ids.randomId(), other, "/g", null, null, null, null, T0);
    store.putWebhook(hook);
    store.putWebhook(kept);
    store.putCommand(botId, "/g", List.of(), "1");
    store.putProperty(PropertyKey.ofBot(botId, "p"), integer(1));
    store.putProperty(PropertyKey.ofBot(other, "p"), integer(2));
    store.putUser(new BotUser(botId, "u1", null, "Ann", null, null));
    store.logError(new ErrorEntry(ids.timeOrderedId(T0), botId, null, null, "x", null, "r", T0));

    assertThat(store.deleteBot(botId)).isTrue();

    assertThat(store.bot(botId)).isEmpty();
    assertThat(store.webhook(hook.id())).isEmpty();
    assertThat(store.webhooks(botId, PageRequest.first(10)).items()).isEmpty();
    assertThat(store.command(botId, "/g")).isEmpty();
    assertThat(store.property(PropertyKey.ofBot(botId, "p"))).isEmpty();
    assertThat(store.errors(botId, PageRequest.first(10)).items()).isEmpty();
    assertThat(all(10, store::bots)).extracting(Bot::id).containsExactly(other);
    assertThat(store.webhook(kept.id())).contains(kept);
    assertThat(store.property(PropertyKey.ofBot(other, "p"))).isPresent();
    assertThat(store.deleteBot(botId)).isFalse();
  }
}
