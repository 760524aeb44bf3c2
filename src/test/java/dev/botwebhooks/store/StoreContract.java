package dev.botwebhooks.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.botwebhooks.core.Bot;
import dev.botwebhooks.core.BotCode;
import dev.botwebhooks.core.BotUser;
import dev.botwebhooks.core.Command;
import dev.botwebhooks.core.Commit;
import dev.botwebhooks.core.CommitConflictException;
import dev.botwebhooks.core.ErrorEntry;
import dev.botwebhooks.core.HttpCall;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.InvalidCursorException;
import dev.botwebhooks.core.Library;
import dev.botwebhooks.core.OutboxEntry;
import dev.botwebhooks.core.Page;
import dev.botwebhooks.core.PageRequest;
import dev.botwebhooks.core.PropertyKey;
import dev.botwebhooks.core.PropertyType;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.core.RunTakenException;
import dev.botwebhooks.core.ScheduledRun;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.core.StoredProperty;
import dev.botwebhooks.core.Webhook;
import dev.botwebhooks.json.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Store} must do, run against each implementation by a subclass that says how to
 * make a fresh, empty store.
 */
public abstract class StoreContract {
  protected static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  protected final IdGenerator ids = IdGenerator.secure();
  protected Store store;
  protected String botId;

  /** A new store with nothing in it (or nothing another test can see). */
  protected abstract Store newStore();

  @BeforeEach
  void setUpStore() {
    store = newStore();
    botId = "bot-" + ids.random(6);
    store.createBot(new Bot(botId, "Test bot", "hash-1", 0, T0));
  }

  // Bots ------------------------------------------------------------------------------------------

  @Test
  void createBot_thenBot_returnsItAsCreated() {
    assertThat(store.bot(botId)).contains(new Bot(botId, "Test bot", "hash-1", 0, T0));
  }

  @Test
  void createBot_takenId_throwsIllegalState() {
    assertThatThrownBy(() -> store.createBot(new Bot(botId, "Other", "hash-2", 0, T0)))
        .isInstanceOf(IllegalStateException.class);
    assertThat(store.bot(botId).orElseThrow().name()).isEqualTo("Test bot");
  }

  @Test
  void bot_unknown_isEmpty() {
    assertThat(store.bot("no-such-bot")).isEmpty();
  }

  @Test
  void botAndUser_registeredUser_returnsBoth() {
    BotUser user = new BotUser(botId, "u1", "123", "Ann", null, "ann");
    store.putUser(user);

    Store.BotAndUser both = store.botAndUser(botId, Optional.of("u1"));

    assertThat(both.bot()).isEqualTo(store.bot(botId));
    assertThat(both.user()).contains(user);
  }

  @Test
  void botAndUser_unknownUserOrNoUser_returnsBotOnly() {
    assertThat(store.botAndUser(botId, Optional.of("nobody")).user()).isEmpty();
    assertThat(store.botAndUser(botId, Optional.of("nobody")).bot()).isPresent();
    assertThat(store.botAndUser(botId, Optional.empty()).bot()).isPresent();
    assertThat(store.botAndUser(botId, Optional.empty()).user()).isEmpty();
  }

  @Test
  void botAndUser_unknownBot_returnsNeither() {
    Store.BotAndUser none = store.botAndUser("ghost", Optional.of("u1"));
    assertThat(none.bot()).isEmpty();
    assertThat(none.user()).isEmpty();
  }

  // Code ------------------------------------------------------------------------------------------

  @Test
  void putCommand_twice_bumpsCommandAndCodeVersions() {
    Command first = store.putCommand(botId, "/onWebhook", List.of("/hook"), "Bot.sendMessage(1)");
    Command second = store.putCommand(botId, "/onWebhook", List.of(), "Bot.sendMessage(2)");

    assertThat(first.version()).isEqualTo(1);
    assertThat(second).isEqualTo(new Command("/onWebhook", List.of(), "Bot.sendMessage(2)", 2));
    assertThat(store.command(botId, "/onWebhook")).contains(second);
    assertThat(store.bot(botId).orElseThrow().codeVersion()).isEqualTo(2);
  }

  /** A write checked against the code at one version happens only while that is the bot's. */
  @Test
  void putCommandAt_writesOnlyAtTheVersionItWasCheckedAgainst() {
    long before = store.bot(botId).orElseThrow().codeVersion();
    assertThat(store.putCommandAt(before, botId, "/a", List.of("x"), "1", Optional.empty()))
        .hasValueSatisfying(c -> assertThat(c.version()).isEqualTo(1));
    // Checked at the version before that write: nothing is written.
    assertThat(store.putCommandAt(before, botId, "/b", List.of("x"), "2", Optional.empty()))
        .isEmpty();
    assertThat(store.command(botId, "/b")).isEmpty();
    assertThat(store.bot(botId).orElseThrow().codeVersion()).isEqualTo(before + 1);
    assertThat(store.putCommandAt(before + 1, botId, "/a", List.of(), "3", Optional.empty()))
        .hasValueSatisfying(c -> assertThat(c.version()).isEqualTo(2));
    assertThat(store.code(botId).version()).isEqualTo(before + 2);
  }

  @Test
  void putCommand_keepsAliasesAndSourceExactly() {
    String source = "/*CMD\n  command: /pay\nCMD*/\nlet s = `ünïcödé ✓ ${1}`;\n";
    store.putCommand(botId, "/pay", List.of("/p", "pay"), source);

    Command stored = store.command(botId, "/pay").orElseThrow();

    assertThat(stored.aliases()).containsExactly("/p", "pay");
    assertThat(stored.source()).isEqualTo(source);
  }

  @Test
  void code_holdsAllCommandsAndLibrariesAtTheBotsCodeVersion() {
    store.putCommand(botId, "/a", List.of(), "a");
    store.putCommand(botId, "@", List.of(), "before");
    store.putLibrary(botId, "myLib", "publish({})");

    BotCode code = store.code(botId);

    assertThat(code.botId()).isEqualTo(botId);
    assertThat(code.version()).isEqualTo(3).isEqualTo(store.bot(botId).orElseThrow().codeVersion());
    assertThat(code.commands()).extracting(Command::name).containsExactlyInAnyOrder("/a", "@");
    assertThat(code.libraries()).extracting(Library::name).containsExactly("myLib");
  }

  @Test
  void code_otherBotsCodeIsNotIncluded() {
    String other = "bot-" + ids.random(6);
    store.createBot(new Bot(other, "Other", "h", 0, T0));
    store.putCommand(other, "/x", List.of(), "x");
    store.putCommand(botId, "/y", List.of(), "y");

    assertThat(store.code(botId).commands()).extracting(Command::name).containsExactly("/y");
  }

  @Test
  void deleteCommand_removesItAndBumpsCodeVersion() {
    store.putCommand(botId, "/a", List.of(), "a");

    assertThat(store.deleteCommand(botId, "/a")).isTrue();

    assertThat(store.command(botId, "/a")).isEmpty();
    assertThat(store.code(botId).commands()).isEmpty();
    assertThat(store.bot(botId).orElseThrow().codeVersion()).isEqualTo(2);
  }

  @Test
  void deleteCommand_unknown_returnsFalseAndKeepsCodeVersion() {
    assertThat(store.deleteCommand(botId, "/none")).isFalse();
    assertThat(store.bot(botId).orElseThrow().codeVersion()).isZero();
  }

  @Test
  void library_putReadDelete_bumpsCodeVersionEachWrite() {
    Library first = store.putLibrary(botId, "lib", "v1");
    Library second = store.putLibrary(botId, "lib", "v2");

    assertThat(first.version()).isEqualTo(1);
    assertThat(store.library(botId, "lib")).contains(second);
    assertThat(second.version()).isEqualTo(2);
    assertThat(store.deleteLibrary(botId, "lib")).isTrue();
    assertThat(store.deleteLibrary(botId, "lib")).isFalse();
    assertThat(store.library(botId, "lib")).isEmpty();
    assertThat(store.bot(botId).orElseThrow().codeVersion()).isEqualTo(3);
  }

  // Users -----------------------------------------------------------------------------------------

  @Test
  void putUser_thenUser_roundTripsAndReplaces() {
    store.putUser(new BotUser(botId, "u1", "42", "Ann", "Lee", "ann"));
    BotUser replaced = new BotUser(botId, "u1", null, "Annie", null, null);
    store.putUser(replaced);

    assertThat(store.user(botId, "u1")).contains(replaced);
    assertThat(store.user(botId, "u2")).isEmpty();
    assertThat(store.user("other-bot", "u1")).isEmpty();
  }

  // Webhooks --------------------------------------------------------------------------------------

  @Test
  void putWebhook_thenWebhook_roundTripsEveryField() {
    Webhook full =
        new Webhook(
            ids.randomId(),
            botId,
            "/onPay /done",
            "u1",
            "Did you see the cat?",
            URI.create("https://cataas.com/cat?x=1"),
            T0.plusSeconds(3600).plusNanos(123_000_000),
            T0.plusNanos(456_789_000));
    Webhook bare = new Webhook(ids.randomId(), botId, "/g", null, null, null, null, T0);
    store.putWebhook(full);
    store.putWebhook(bare);

    assertThat(store.webhook(full.id())).contains(full);
    assertThat(store.webhook(bare.id())).contains(bare);
    assertThat(store.webhook(ids.randomId())).isEmpty();
  }

  @Test
  void putWebhook_takenId_throwsIllegalState() {
    Webhook hook = hook(T0);
    Webhook other = new Webhook(hook.id(), botId, "/other", null, null, null, null, T0);
    store.putWebhook(hook);

    assertThatThrownBy(() -> store.putWebhook(other)).isInstanceOf(IllegalStateException.class);
    assertThat(store.webhook(hook.id())).contains(hook);
  }

  @Test
  void putWebhook_sameHookAgain_isARetryAndListsItOnce() {
    Webhook hook = hook(T0);
    store.putWebhook(hook);
    store.putWebhook(hook);

    assertThat(store.webhooks(botId, PageRequest.first(10)).items()).containsExactly(hook);
  }

  @Test
  void revokeWebhook_removesTheHookAndItsListing() {
    Webhook keep = hook(T0);
    Webhook revoke = hook(T0.plusSeconds(1));
    store.putWebhook(keep);
    store.putWebhook(revoke);

    assertThat(store.revokeWebhook(botId, revoke.id())).isTrue();

    assertThat(store.webhook(revoke.id())).isEmpty();
    assertThat(store.webhooks(botId, PageRequest.first(10)).items()).containsExactly(keep);
    assertThat(store.revokeWebhook(botId, revoke.id())).isFalse();
  }

  @Test
  void revokeWebhook_anotherBotsHook_returnsFalseAndKeepsIt() {
    Webhook hook = hook(T0);
    store.putWebhook(hook);

    assertThat(store.revokeWebhook("other-bot", hook.id())).isFalse();
    assertThat(store.revokeWebhook(botId, ids.randomId())).isFalse();
    assertThat(store.webhook(hook.id())).contains(hook);
  }

  @Test
  void webhooks_thousandHooks_pageNewestFirstExactlyOnce() {
    List<Webhook> all = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      // Pairs share a millisecond, so ties are ordered too.
      Webhook h = hook(T0.plusMillis(i / 2));
      store.putWebhook(h);
      all.add(h);
    }

    List<Webhook> seen = readAll(p -> store.webhooks(botId, p), 100);

    assertThat(seen).hasSize(1000).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(all);
    assertThat(seen)
        .isSortedAccordingTo(
            (a, b) ->
                b.createdAt().compareTo(a.createdAt()) != 0
                    ? b.createdAt().compareTo(a.createdAt())
                    : b.id().compareTo(a.id()));
  }

  @Test
  void webhooks_otherBotsHooks_areNotListed() {
    store.putWebhook(new Webhook(ids.randomId(), "other-bot", "/x", null, null, null, null, T0));

    Page<Webhook> page = store.webhooks(botId, PageRequest.first(10));

    assertThat(page.items()).isEmpty();
    assertThat(page.nextCursor()).isEmpty();
  }

  @Test
  void webhooks_exactlyFullLastPage_hasNoCursor() {
    for (int i = 0; i < 4; i++) {
      store.putWebhook(hook(T0.plusSeconds(i)));
    }

    Page<Webhook> first = store.webhooks(botId, PageRequest.first(2));
    Page<Webhook> second = store.webhooks(botId, new PageRequest(2, first.nextCursor()));

    assertThat(first.nextCursor()).isPresent();
    assertThat(second.items()).hasSize(2);
    assertThat(second.nextCursor()).isEmpty();
  }

  @Test
  void listings_cursorNotHandedOut_throwInvalidCursor() {
    store.putWebhook(hook(T0));
    store.putWebhook(hook(T0.plusSeconds(1)));
    String hookCursor = store.webhooks(botId, PageRequest.first(1)).nextCursor().orElseThrow();
    String garbage =
        Base64.getUrlEncoder().encodeToString("hello".getBytes(StandardCharsets.UTF_8));

    for (String bad : List.of("not a cursor!", garbage, "", hookCursor)) {
      PageRequest request = new PageRequest(10, Optional.of(bad));
      if (!bad.equals(hookCursor)) {
        assertThatThrownBy(() -> store.webhooks(botId, request))
            .isInstanceOf(InvalidCursorException.class);
      }
      assertThatThrownBy(() -> store.errors(botId, request))
          .isInstanceOf(InvalidCursorException.class);
      assertThatThrownBy(() -> store.messages(botId, Optional.empty(), request))
          .isInstanceOf(InvalidCursorException.class);
    }
  }

  // Properties ------------------------------------------------------------------------------------

  @Test
  void property_absent_isEmpty() {
    assertThat(store.property(PropertyKey.ofBot(botId, "nothing"))).isEmpty();
  }

  @Test
  void putProperty_everyType_roundTripsWithVersionCountingWrites() {
    List<PropertyValue> values =
        List.of(
            integer(42),
            new PropertyValue(PropertyType.FLOAT, JSON.numberNode(2.5)),
            new PropertyValue(PropertyType.STRING, JSON.textNode("ünï ✓")),
            new PropertyValue(PropertyType.TEXT, JSON.textNode("line\nline")),
            new PropertyValue(PropertyType.BOOLEAN, JSON.booleanNode(false)),
            new PropertyValue(PropertyType.JSON, json("{\"a\":[1,{\"b\":null}],\"c\":\"d\"}")),
            new PropertyValue(PropertyType.DATETIME, JSON.textNode("2024-05-01T10:00:00Z")));
    PropertyKey key = PropertyKey.ofBot(botId, "p");
    long version = 0;
    for (PropertyValue value : values) {
      store.putProperty(key, value);
      version++;
      assertThat(store.property(key)).contains(new StoredProperty(key, value, version));
    }
  }

  @Test
  void properties_botAndUserScopes_areSeparate() {
    PropertyKey botWide = PropertyKey.ofBot(botId, "balance");
    PropertyKey ann = PropertyKey.ofUser(botId, "ann", "balance");
    PropertyKey bob = PropertyKey.ofUser(botId, "bob", "balance");
    store.putProperty(botWide, integer(1));
    store.putProperty(ann, integer(2));

    assertThat(store.property(botWide).orElseThrow().value()).isEqualTo(integer(1));
    assertThat(store.property(ann).orElseThrow().value()).isEqualTo(integer(2));
    assertThat(store.property(bob)).isEmpty();
    assertThat(store.property(PropertyKey.ofBot("other-bot", "balance"))).isEmpty();
  }

  @Test
  void deleteProperty_removesItOnce() {
    PropertyKey key = PropertyKey.ofUser(botId, "ann", "x");
    store.putProperty(key, integer(1));

    assertThat(store.deleteProperty(key)).isTrue();
    assertThat(store.property(key)).isEmpty();
    assertThat(store.deleteProperty(key)).isFalse();
  }

  @Test
  void putProperty_afterDelete_continuesTheVersion() {
    PropertyKey key = PropertyKey.ofBot(botId, "x");
    store.putProperty(key, integer(1));
    store.deleteProperty(key);
    store.putProperty(key, integer(2));

    assertThat(store.property(key).orElseThrow().version()).isGreaterThan(1);
  }

  // Commit ----------------------------------------------------------------------------------------

  @Test
  void commit_writesAndOutbox_areApplied() {
    PropertyKey counter = PropertyKey.ofBot(botId, "counter");
    PropertyKey mine = PropertyKey.ofUser(botId, "ann", "seen");
    store.putProperty(counter, integer(5));
    OutboxEntry message = message("ann", "hello", T0);
    OutboxEntry call = apiCall("ann", T0.plusMillis(1));

    store.commit(
        new Commit(
            botId,
            List.of(),
            List.of(
                new Commit.PropertyWrite(counter, 1, integer(6)),
                new Commit.PropertyWrite(
                    mine, 0, new PropertyValue(PropertyType.BOOLEAN, JSON.booleanNode(true)))),
            List.of(message, call),
            ids.randomId()));

    assertThat(store.property(counter)).contains(new StoredProperty(counter, integer(6), 2));
    assertThat(store.property(mine).orElseThrow().version()).isEqualTo(1);
    assertThat(store.messages(botId, Optional.empty(), PageRequest.first(10)).items())
        .containsExactly(call, message);
  }

  /**
   * Half of a UTF-16 pair (an emoji cut in two, legal in a script's string) has no UTF-8 form:
   * every write holding one still applies, and what it names reads back by the same name
   * (README "Choices where the contract left room": DynamoDB keeps U+FFFD in its place).
   */
  @Test
  void writes_holdingHalfASurrogatePair_applyAndReadBackByTheSameName() {
    String half = "\uD83D";
    PropertyKey note = PropertyKey.ofUser(botId, "ann", "note" + half);
    PropertyValue value = new PropertyValue(PropertyType.STRING, JSON.textNode("v" + half));
    store.putUser(new BotUser(botId, "ann", null, "Ann" + half, null, null));
    store.commit(
        new Commit(
            botId,
            List.of(),
            List.of(new Commit.PropertyWrite(note, 0, value)),
            List.of(message("ann", "Thanks " + half, T0)),
            ids.randomId()));
    Webhook hook =
        new Webhook(ids.randomId(), botId, "/pay" + half, "ann", "c" + half, null, null, T0);
    store.putWebhook(hook);
    store.logError(
        new ErrorEntry(
            ids.timeOrderedId(T0), botId, null, "/pay", "bad " + half, null, "req", T0));

    assertThat(store.property(note)).contains(new StoredProperty(note, value, 1));
    assertThat(store.user(botId, "ann").orElseThrow().firstName()).startsWith("Ann");
    assertThat(store.messages(botId, Optional.of("ann"), PageRequest.first(5)).items())
        .singleElement()
        .satisfies(m -> assertThat(m.text()).startsWith("Thanks "));
    assertThat(store.webhook(hook.id()).orElseThrow().command()).startsWith("/pay");
    assertThat(store.errors(botId, PageRequest.first(5)).items()).hasSize(1);
  }

  @Test
  void commit_readChangedSinceRead_conflictsAndAppliesNothing() {
    PropertyKey read = PropertyKey.ofBot(botId, "price");
    PropertyKey written = PropertyKey.ofBot(botId, "total");
    store.putProperty(read, integer(10));
    store.putProperty(read, integer(11)); // version 2: the run saw version 1

    assertThatThrownBy(
            () ->
                store.commit(
                    new Commit(
                        botId,
                        List.of(new Commit.PropertyRead(read, 1)),
                        List.of(new Commit.PropertyWrite(written, 0, integer(10))),
                        List.of(message(null, "total 10", T0)),
                        ids.randomId())))
        .isInstanceOf(CommitConflictException.class);

    assertThat(store.property(written)).isEmpty();
    assertThat(store.messages(botId, Optional.empty(), PageRequest.first(10)).items()).isEmpty();
  }

  @Test
  void commit_readOfAbsentPropertyCreatedSince_conflicts() {
    PropertyKey read = PropertyKey.ofBot(botId, "flag");
    PropertyKey written = PropertyKey.ofBot(botId, "out");
    store.putProperty(read, integer(1));

    assertThatThrownBy(
            () ->
                store.commit(
                    new Commit(
                        botId,
                        List.of(new Commit.PropertyRead(read, 0)),
                        List.of(new Commit.PropertyWrite(written, 0, integer(1))),
                        List.of(),
                        ids.randomId())))
        .isInstanceOf(CommitConflictException.class);
    assertThat(store.property(written)).isEmpty();
  }

  @Test
  void commit_unchangedRead_commits() {
    PropertyKey read = PropertyKey.ofBot(botId, "rate");
    PropertyKey absent = PropertyKey.ofBot(botId, "absent");
    PropertyKey written = PropertyKey.ofBot(botId, "out");
    store.putProperty(read, integer(3));

    store.commit(
        new Commit(
            botId,
            List.of(new Commit.PropertyRead(read, 1), new Commit.PropertyRead(absent, 0)),
            List.of(new Commit.PropertyWrite(written, 0, integer(9))),
            List.of(),
            ids.randomId()));

    assertThat(store.property(written).orElseThrow().value()).isEqualTo(integer(9));
    assertThat(store.property(read).orElseThrow().version()).isEqualTo(1);
    assertThat(store.property(absent)).isEmpty();
  }

  @Test
  void commit_writeOverChangedProperty_conflictsAndAppliesNothing() {
    PropertyKey balance = PropertyKey.ofUser(botId, "ann", "balance");
    PropertyKey other = PropertyKey.ofUser(botId, "ann", "other");
    store.putProperty(balance, integer(100));
    store.putProperty(balance, integer(150));

    assertThatThrownBy(
            () ->
                store.commit(
                    new Commit(
                        botId,
                        List.of(),
                        List.of(
                            new Commit.PropertyWrite(other, 0, integer(1)),
                            new Commit.PropertyWrite(balance, 1, integer(110))),
                        List.of(message("ann", "paid", T0)),
                        ids.randomId())))
        .isInstanceOf(CommitConflictException.class);

    assertThat(store.property(balance).orElseThrow().value()).isEqualTo(integer(150));
    assertThat(store.property(other)).isEmpty();
    assertThat(store.messages(botId, Optional.empty(), PageRequest.first(10)).items()).isEmpty();
  }

  @Test
  void commit_createOverExistingProperty_conflicts() {
    PropertyKey key = PropertyKey.ofBot(botId, "once");
    store.putProperty(key, integer(1));

    assertThatThrownBy(
            () ->
                store.commit(
                    new Commit(
                        botId,
                        List.of(),
                        List.of(new Commit.PropertyWrite(key, 0, integer(2))),
                        List.of(),
                        ids.randomId())))
        .isInstanceOf(CommitConflictException.class);
  }

  @Test
  void commit_sameTokenTwice_appliesOnce() {
    PropertyKey key = PropertyKey.ofBot(botId, "count");
    Commit commit =
        new Commit(
            botId,
            List.of(),
            List.of(new Commit.PropertyWrite(key, 0, integer(1))),
            List.of(message(null, "once", T0)),
            ids.randomId());

    store.commit(commit);
    store.commit(commit);

    assertThat(store.property(key)).contains(new StoredProperty(key, integer(1), 1));
    assertThat(store.messages(botId, Optional.empty(), PageRequest.first(10)).items()).hasSize(1);
  }

  @Test
  void commit_longToken_isStillIdempotent() {
    Commit commit =
        new Commit(
            botId,
            List.of(),
            List.of(),
            List.of(message(null, "once", T0)),
            "request-" + "x".repeat(80) + "/attempt:1");

    store.commit(commit);
    store.commit(commit);

    assertThat(store.messages(botId, Optional.empty(), PageRequest.first(10)).items()).hasSize(1);
  }

  @Test
  void commit_nullValue_deletesAndAbsentVersionWorksAfter() {
    PropertyKey key = PropertyKey.ofBot(botId, "temp");
    store.putProperty(key, integer(1));

    store.commit(
        new Commit(
            botId,
            List.of(),
            List.of(new Commit.PropertyWrite(key, 1, null)),
            List.of(),
            ids.randomId()));
    assertThat(store.property(key)).isEmpty();

    store.commit(
        new Commit(
            botId,
            List.of(),
            List.of(new Commit.PropertyWrite(key, 0, integer(7))),
            List.of(),
            ids.randomId()));
    assertThat(store.property(key).orElseThrow().value()).isEqualTo(integer(7));
  }

  @Test
  void commit_propertyDeletedAndRecreatedSinceRead_conflicts() {
    PropertyKey key = PropertyKey.ofBot(botId, "counter");
    store.putProperty(key, integer(5));
    long seen = store.property(key).orElseThrow().version();
    store.deleteProperty(key);
    store.commit(
        new Commit(
            botId,
            List.of(),
            List.of(new Commit.PropertyWrite(key, 0, integer(0))),
            List.of(),
            ids.randomId()));

    assertThatThrownBy(
            () ->
                store.commit(
                    new Commit(
                        botId,
                        List.of(),
                        List.of(new Commit.PropertyWrite(key, seen, integer(6))),
                        List.of(),
                        ids.randomId())))
        .isInstanceOf(CommitConflictException.class);
    assertThat(store.property(key).orElseThrow().value()).isEqualTo(integer(0));
  }

  @Test
  void commit_empty_changesNothing() {
    PropertyKey key = PropertyKey.ofBot(botId, "k");
    store.putProperty(key, integer(1));

    store.commit(
        new Commit(botId, List.of(new Commit.PropertyRead(key, 99)), List.of(), List.of(), "t"));

    assertThat(store.property(key).orElseThrow().version()).isEqualTo(1);
  }

  @Test
  void commit_moreOutboxEntriesThanATransactionHolds_listsEachOnceNewestFirst() {
    List<PropertyKey> keys = new ArrayList<>();
    List<Commit.PropertyWrite> writes = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      PropertyKey key = PropertyKey.ofBot(botId, "p" + i);
      keys.add(key);
      writes.add(new Commit.PropertyWrite(key, 0, integer(i)));
    }
    List<OutboxEntry> entries = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      entries.add(message(i % 3 == 0 ? "ann" : "bob", "m" + i, T0.plusMillis(i)));
    }

    store.commit(new Commit(botId, List.of(), writes, entries, ids.randomId()));

    List<OutboxEntry> all = readAll(p -> store.messages(botId, Optional.empty(), p), 7);
    List<OutboxEntry> newestFirst = new ArrayList<>(entries);
    Collections.reverse(newestFirst);
    assertThat(all).containsExactlyElementsOf(newestFirst);
    List<OutboxEntry> ann = readAll(p -> store.messages(botId, Optional.of("ann"), p), 6);
    assertThat(ann)
        .containsExactlyElementsOf(
            newestFirst.stream().filter(e -> "ann".equals(e.userId())).toList());
    assertThat(store.property(keys.get(39)).orElseThrow().value()).isEqualTo(integer(39));
  }

  @Test
  void commit_moreThanMaxProperties_isRefused() {
    List<Commit.PropertyWrite> writes = new ArrayList<>();
    for (int i = 0; i <= Commit.MAX_PROPERTIES; i++) {
      writes.add(new Commit.PropertyWrite(PropertyKey.ofBot(botId, "p" + i), 0, integer(i)));
    }

    assertThatThrownBy(
            () -> store.commit(new Commit(botId, List.of(), writes, List.of(), ids.randomId())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("at most " + Commit.MAX_PROPERTIES + " properties");
    assertThat(store.property(PropertyKey.ofBot(botId, "p0"))).isEmpty();
  }

  @Test
  void commit_concurrentIncrements_eachAppliesExactlyOnce() throws Exception {
    int threads = 8;
    PropertyKey counter = PropertyKey.ofBot(botId, "counter");
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Callable<Integer> increment =
            () -> {
              start.await();
              for (int attempt = 1; ; attempt++) {
                Optional<StoredProperty> seen = store.property(counter);
                long value = seen.map(p -> p.value().value().longValue()).orElse(0L);
                long version = seen.map(StoredProperty::version).orElse(0L);
                try {
                  store.commit(
                      new Commit(
                          botId,
                          List.of(),
                          List.of(new Commit.PropertyWrite(counter, version, integer(value + 1))),
                          List.of(message(null, "now " + (value + 1), Instant.now())),
                          ids.randomId()));
                  return attempt;
                } catch (CommitConflictException e) {
                  Thread.sleep((long) (Math.random() * 20));
                }
              }
            };
        results.add(pool.submit(increment));
      }
      start.countDown();
      for (Future<Integer> r : results) {
        r.get();
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(store.property(counter).orElseThrow().value().value().asLong()).isEqualTo(threads);
    List<OutboxEntry> messages = readAll(p -> store.messages(botId, Optional.empty(), p), 100);
    assertThat(messages).extracting(OutboxEntry::text).hasSize(threads).doesNotHaveDuplicates();
  }

  // Outbox and error log --------------------------------------------------------------------------

  @Test
  void messages_userFilter_pagesThroughEveryMatchOnce() {
    List<OutboxEntry> made = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String user = i % 5 == 0 ? "ann" : (i % 5 == 1 ? null : "bob");
      OutboxEntry e = message(user, "m" + i, T0.plusMillis(i));
      made.add(e);
      store.commit(new Commit(botId, List.of(), List.of(), List.of(e), ids.randomId()));
    }

    List<OutboxEntry> ann = readAll(p -> store.messages(botId, Optional.of("ann"), p), 2);

    List<OutboxEntry> expected =
        new ArrayList<>(made.stream().filter(e -> "ann".equals(e.userId())).toList());
    Collections.reverse(expected);
    assertThat(ann).containsExactlyElementsOf(expected);
    assertThat(store.messages(botId, Optional.of("carol"), PageRequest.first(5)).items()).isEmpty();
    assertThat(readAll(p -> store.messages(botId, Optional.empty(), p), 100)).hasSize(30);
  }

  @Test
  void messages_otherBotsEntries_areNotListed() {
    OutboxEntry e =
        new OutboxEntry(
            ids.timeOrderedId(T0),
            "other-bot",
            null,
            OutboxEntry.Kind.MESSAGE,
            "x",
            null,
            null,
            null,
            null,
            T0);
    store.commit(new Commit("other-bot", List.of(), List.of(), List.of(e), ids.randomId()));

    assertThat(store.messages(botId, Optional.empty(), PageRequest.first(5)).items()).isEmpty();
  }

  @Test
  void errors_listNewestFirstWithEveryField() {
    List<ErrorEntry> made = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ErrorEntry e =
          new ErrorEntry(
              ids.timeOrderedId(T0.plusSeconds(i)),
              botId,
              i == 0 ? null : ids.randomId(),
              i == 0 ? null : "/cmd",
              "TypeError: x is undefined " + i,
              i == 1 ? "MAX_MESSAGES" : null,
              "req-" + i,
              T0.plusSeconds(i));
      store.logError(e);
      made.add(e);
    }
    Collections.reverse(made);

    assertThat(readAll(p -> store.errors(botId, p), 2)).containsExactlyElementsOf(made);
    assertThat(store.errors("other-bot", PageRequest.first(5)).items()).isEmpty();
  }

  // Scheduled runs --------------------------------------------------------------------------------

  @Test
  void scheduledRuns_dueEarliestFirst_claimedOnce() {
    ScheduledRun later = scheduled("/later", T0.plusSeconds(90), "7");
    ScheduledRun sooner = scheduled("/sooner", T0.plusSeconds(30), null);
    ScheduledRun notYet = scheduled("/notYet", T0.plusSeconds(600), null);
    store.scheduleRun(later);
    store.scheduleRun(notYet);
    store.scheduleRun(sooner);

    assertThat(store.dueRuns(T0, 10)).isEmpty();
    assertThat(store.dueRuns(T0.plusSeconds(30), 10)).containsExactly(sooner);
    assertThat(store.dueRuns(T0.plusSeconds(100), 10)).containsExactly(sooner, later);
    assertThat(store.dueRuns(T0.plusSeconds(100), 1)).containsExactly(sooner);

    assertThat(store.claimRun(sooner)).isTrue();
    assertThat(store.claimRun(sooner)).isFalse();
    assertThat(store.dueRuns(T0.plusSeconds(100), 10)).containsExactly(later);
    assertThat(later.options().get("n").asInt()).isEqualTo(1);
  }

  /**
   * A commit keeps the runs it carries in the schedule with its other effects, all or nothing: a
   * commit that conflicts keeps none, and one sent again under its token keeps them once.
   */
  @Test
  void commit_keepsItsRunsWithItsEffects_orNoneOnAConflict() {
    PropertyKey paid = PropertyKey.ofUser(botId, "5", "paid");
    ScheduledRun receipt = scheduled("/receipt", T0.plusSeconds(12), "5");
    ScheduledRun reminder = scheduled("/remind", T0.plusSeconds(3600), "5");
    java.util.function.LongFunction<Commit> paying =
        paying(paid, c -> c.withRuns(List.of(receipt, reminder)));

    assertThatThrownBy(() -> store.commit(paying.apply(3))) // the property is absent: version 0
        .isInstanceOf(CommitConflictException.class);
    assertThat(keptRuns()).isEmpty();

    Commit commit = paying.apply(0);
    store.commit(commit);
    store.commit(commit);

    assertThat(store.property(paid)).isPresent();
    assertThat(keptRuns()).containsExactly(receipt, reminder);
    assertThat(store.claimRun(receipt)).isTrue();
    assertThat(keptRuns()).containsExactly(reminder);
  }

  /**
   * The run of a kept run takes it out of the schedule in its own commit: the first such commit
   * applies (a resend of it too, once), a second run's commit applies nothing, and a commit that
   * conflicts leaves the run in the schedule.
   */
  @Test
  void commit_takingAKeptRun_appliesOnce_andAnotherRunOfItAppliesNothing() {
    PropertyKey first = PropertyKey.ofUser(botId, "5", "first");
    PropertyKey second = PropertyKey.ofUser(botId, "5", "second");
    ScheduledRun kept = scheduled("/receipt", T0.plusSeconds(12), "5");
    store.scheduleRun(kept);
    Commit byOne = paying(first, c -> c.taking(kept)).apply(0);
    Commit byAnother = paying(second, c -> c.taking(kept)).apply(0);

    assertThatThrownBy(() -> store.commit(paying(first, c -> c.taking(kept)).apply(7)))
        .isInstanceOf(CommitConflictException.class);
    assertThat(keptRuns()).containsExactly(kept);
    store.commit(byOne);
    store.commit(byOne);
    assertThatThrownBy(() -> store.commit(byAnother)).isInstanceOf(RunTakenException.class);

    assertThat(store.property(first)).isPresent();
    assertThat(store.property(second)).isEmpty();
    assertThat(keptRuns()).isEmpty();
    assertThat(store.claimRun(kept)).isFalse();
  }

  /**
   * A commit that writes {@code paid} expecting the version it is given, with what {@code keeping}
   * adds to it.
   */
  private java.util.function.LongFunction<Commit> paying(
      PropertyKey paid, java.util.function.UnaryOperator<Commit> keeping) {
    return expectedVersion ->
        keeping.apply(
            new Commit(
                botId,
                List.of(),
                List.of(new Commit.PropertyWrite(paid, expectedVersion, integer(1))),
                List.of(),
                ids.randomId()));
  }

  /** This test's bot's runs in the schedule, due at any time. */
  private List<ScheduledRun> keptRuns() {
    return store.dueRuns(Instant.parse("3000-01-01T00:00:00Z"), 1000).stream()
        .filter(r -> r.botId().equals(botId))
        .toList();
  }

  private ScheduledRun scheduled(String command, Instant due, String userId) {
    return new ScheduledRun(
        ids.timeOrderedId(T0), botId, ids.randomId(), command, JSON.objectNode().put("n", 1),
        userId, due, "label", "https://api.example.com");
  }

  // Outbound calls ------------------------------------------------------------------------------

  @Test
  void commit_keepsItsCallsWithItsEffects_orNoneOnAConflict_untilOneClaimsEach() {
    PropertyKey paid = PropertyKey.ofUser(botId, "5", "paid");
    HttpCall notify = httpCall("https://shop.example/notify", T0.plusSeconds(90), "5");
    HttpCall receipt = httpCall("https://mail.example/send", T0.plusSeconds(80), null);
    java.util.function.LongFunction<Commit> paying =
        paying(paid, c -> c.withCalls(List.of(notify, receipt)));

    assertThatThrownBy(() -> store.commit(paying.apply(3))) // the property is absent: version 0
        .isInstanceOf(CommitConflictException.class);
    assertThat(keptCalls(Instant.parse("3000-01-01T00:00:00Z"))).isEmpty();

    Commit commit = paying.apply(0);
    store.commit(commit);
    store.commit(commit);

    assertThat(store.property(paid)).isPresent();
    assertThat(keptCalls(T0.plusSeconds(79))).as("none due yet").isEmpty();
    assertThat(keptCalls(T0.plusSeconds(85))).as("due by then, kept whole").containsExactly(receipt);
    assertThat(keptCalls(T0.plusSeconds(90))).as("earliest first").containsExactly(receipt, notify);
    assertThat(store.claimHttpCall(notify)).isTrue();
    assertThat(store.claimHttpCall(notify)).as("claimed once").isFalse();
    assertThat(keptCalls(T0.plusSeconds(90))).containsExactly(receipt);
  }

  @Test
  void claimHttpCall_isTrueForExactlyOneOfManyClaimers() throws Exception {
    HttpCall call = httpCall("https://shop.example/notify", T0, null);
    store.commit(
        new Commit(botId, List.of(), List.of(), List.of(), ids.randomId())
            .withCalls(List.of(call)));
    int claimers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(claimers);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < claimers; i++) {
        results.add(pool.submit(() -> store.claimHttpCall(call)));
      }
      int won = 0;
      for (Future<Boolean> r : results) {
        won += r.get() ? 1 : 0;
      }
      assertThat(won).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.claimHttpCall(call)).isFalse();
    assertThat(store.claimHttpCall(httpCall("https://shop.example/other", T0, null)))
        .as("a call no commit kept")
        .isFalse();
  }

  /** This test's bot's kept calls due by {@code now}. */
  private List<HttpCall> keptCalls(Instant now) {
    return store.dueCalls(now, 1000).stream().filter(c -> c.botId().equals(botId)).toList();
  }

  private HttpCall httpCall(String url, Instant due, String userId) {
    return new HttpCall(
        ids.timeOrderedId(due), botId, ids.randomId(), userId, "https://api.example.com",
        new HttpCall.Request(
            "POST", url, java.util.Map.of("content-type", "application/json"), "{\"paid\":1}",
            false, "/done", "/failed", JSON.objectNode().put("order", 7)));
  }

  // Rate limiting ---------------------------------------------------------------------------------

  @Test
  void countHit_countsPerClientPerMinute() {
    String client = "203.0.113." + ids.random(3);
    String other = "2001:db8::" + ids.random(3);
    Instant minute = Instant.parse("2024-05-01T10:07:00Z");

    assertThat(store.countHit(client, minute)).isEqualTo(1);
    assertThat(store.countHit(client, minute.plusSeconds(30))).isEqualTo(2);
    assertThat(store.countHit(client, minute.plusSeconds(59))).isEqualTo(3);
    assertThat(store.countHit(other, minute.plusSeconds(10))).isEqualTo(1);
    assertThat(store.countHit(client, minute.plusSeconds(60))).isEqualTo(1);
    assertThat(store.countHit(client, minute.plusSeconds(61))).isEqualTo(2);
  }

  // Fixtures --------------------------------------------------------------------------------------

  protected Webhook hook(Instant createdAt) {
    return new Webhook(ids.randomId(), botId, "/onWebhook", null, null, null, null, createdAt);
  }

  protected OutboxEntry message(String userId, String text, Instant at) {
    return new OutboxEntry(
        ids.timeOrderedId(at),
        botId,
        userId,
        OutboxEntry.Kind.MESSAGE,
        text,
        json("[[{\"text\":\"ok\"}]]"),
        null,
        null,
        "hook-" + ids.random(4),
        at);
  }

  protected OutboxEntry apiCall(String userId, Instant at) {
    return new OutboxEntry(
        ids.timeOrderedId(at),
        botId,
        userId,
        OutboxEntry.Kind.API_CALL,
        null,
        null,
        "sendPhoto",
        json("{\"chat_id\":1,\"photo\":\"x\"}"),
        null,
        at);
  }

  protected static PropertyValue integer(long n) {
    // As parsed JSON has it: an int node when the number fits.
    return new PropertyValue(
        PropertyType.INTEGER, n == (int) n ? JSON.numberNode((int) n) : JSON.numberNode(n));
  }

  protected static JsonNode json(String text) {
    try {
      return Json.parse(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  /** Every item of a listing, page by page, checking that pages are full until the last. */
  protected static <T> List<T> readAll(Function<PageRequest, Page<T>> listing, int limit) {
    List<T> all = new ArrayList<>();
    Set<String> cursors = new TreeSet<>();
    PageRequest request = PageRequest.first(limit);
    while (true) {
      Page<T> page = listing.apply(request);
      all.addAll(page.items());
      if (page.nextCursor().isEmpty()) {
        return all;
      }
      assertThat(page.items()).hasSize(limit);
      assertThat(cursors.add(page.nextCursor().get())).as("cursor repeats").isTrue();
      request = new PageRequest(limit, page.nextCursor());
    }
  }
}
