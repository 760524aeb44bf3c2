package dev.botwebhooks.store;

import dev.botwebhooks.core.Bot;
import dev.botwebhooks.core.BotCode;
import dev.botwebhooks.core.BotUser;
import dev.botwebhooks.core.Command;
import dev.botwebhooks.core.Commit;
import dev.botwebhooks.core.CommitConflictException;
import dev.botwebhooks.core.Delivery;
import dev.botwebhooks.core.DuplicateDeliveryException;
import dev.botwebhooks.core.ErrorEntry;
import dev.botwebhooks.core.HitRecord;
import dev.botwebhooks.core.HttpCall;
import dev.botwebhooks.core.Library;
import dev.botwebhooks.core.Transpiled;
import dev.botwebhooks.core.OutboxEntry;
import dev.botwebhooks.core.Page;
import dev.botwebhooks.core.PageRequest;
import dev.botwebhooks.core.PropertyKey;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.core.RateCharge;
import dev.botwebhooks.core.RunTakenException;
import dev.botwebhooks.core.ScheduledRun;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.core.StoredProperty;
import dev.botwebhooks.core.Webhook;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;

/**
 * The embedded store: everything in this process's memory, behind one lock, with the same contract
 * as the DynamoDB store (versions checked at commit, idempotent commit tokens, newest-first pages
 * with opaque cursors, see {@link MemoryPages}). Lost when the process ends.
 */
public final class MemoryStore implements Store {
  private static final int MAX_TOKENS = 10_000;

  private final Map<String, Bot> bots = new HashMap<>();
  private final Map<String, Map<String, Command>> commands = new HashMap<>();
  private final Map<String, Map<String, Library>> libraries = new HashMap<>();
  private final Map<String, BotUser> users = new HashMap<>();
  private final Map<String, Webhook> webhooks = new HashMap<>();
  private final Map<String, NavigableMap<String, String>> hookIndex = new HashMap<>();

  /** Deleted properties stay as tombstones (null value) so that versions never go back. */
  private final Map<PropertyKey, Slot> properties = new HashMap<>();

  private final Map<String, NavigableMap<String, OutboxEntry>> outbox = new HashMap<>();
  private final Map<String, NavigableMap<String, ErrorEntry>> errors = new HashMap<>();
  private final MemoryRateCounts rateCounts = new MemoryRateCounts();
  private final NavigableMap<String, ScheduledRun> schedule = new TreeMap<>();
  /** In the order recorded, which is also the order they expire in: pruned from the front. */
  private final Map<String, Delivery> deliveries = new LinkedHashMap<>();
  /** Tokens of applied commits; past MAX_TOKENS the oldest are forgotten. */
  private final Set<String> appliedTokens = Collections.newSetFromMap(new LinkedHashMap<>());
  private final MemoryHitLog hits = new MemoryHitLog();
  private final Clock clock;
  /** Outbound calls kept by commits until claimed, by id: earliest due first. */
  private final NavigableMap<String, HttpCall> calls = new TreeMap<>();

  public MemoryStore() {
    this(Clock.systemUTC());
  }

  /** @param clock decides when request-log entries are past their retention */
  public MemoryStore(Clock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized void createBot(Bot bot) {
    if (bots.containsKey(bot.id())) {
      throw new IllegalStateException("bot id already taken: " + bot.id());
    }
    bots.put(bot.id(), bot);
  }

  @Override
  public synchronized Optional<Bot> bot(String botId) {
    return Optional.ofNullable(bots.get(botId));
  }

  @Override
  public synchronized BotAndUser botAndUser(String botId, Optional<String> userId) {
    return new BotAndUser(
        Optional.ofNullable(bots.get(botId)), userId.map(u -> users.get(userKey(botId, u))));
  }

  @Override
  public synchronized BotCode code(String botId) {
    Bot bot = bots.get(botId);
    long version = bot == null ? 0 : bot.codeVersion();
    return new BotCode(
        botId,
        version,
        new ArrayList<>(commands.getOrDefault(botId, Map.of()).values()),
        new ArrayList<>(libraries.getOrDefault(botId, Map.of()).values()));
  }

  @Override
  public synchronized Command putCommand(
      String botId,
      String name,
      List<String> aliases,
      String source,
      Optional<Transpiled> runnable) {
    return putCode(
        commands,
        botId,
        name,
        Command::version,
        v -> new Command(name, aliases, source, runnable, v));
  }

  @Override
  public synchronized Optional<Command> putCommandAt(
      long basedOn,
      String botId,
      String name,
      List<String> aliases,
      String source,
      Optional<Transpiled> runnable) {
    Bot bot = bots.get(botId);
    if ((bot == null ? 0 : bot.codeVersion()) != basedOn) {
      return Optional.empty();
    }
    return Optional.of(putCommand(botId, name, aliases, source, runnable));
  }

  @Override
  public synchronized Optional<Command> command(String botId, String name) {
    return Optional.ofNullable(commands.getOrDefault(botId, Map.of()).get(name));
  }

  @Override
  public synchronized boolean deleteCommand(String botId, String name) {
    return deleteCode(commands, botId, name);
  }

  @Override
  public synchronized Library putLibrary(
      String botId, String name, String source, Optional<Transpiled> runnable) {
    return putCode(libraries, botId, name, Library::version, v -> new Library(name, source, runnable, v));
  }

  @Override
  public synchronized Optional<Library> library(String botId, String name) {
    return Optional.ofNullable(libraries.getOrDefault(botId, Map.of()).get(name));
  }

  @Override
  public synchronized boolean deleteLibrary(String botId, String name) {
    return deleteCode(libraries, botId, name);
  }

  /** Stores the next version of a command or library and bumps the bot's code version. */
  private <T> T putCode(
      Map<String, Map<String, T>> code,
      String botId,
      String name,
      ToLongFunction<T> version,
      LongFunction<T> withVersion) {
    Map<String, T> byName = code.computeIfAbsent(botId, k -> new TreeMap<>());
    T old = byName.get(name);
    T stored = withVersion.apply(old == null ? 1 : version.applyAsLong(old) + 1);
    byName.put(name, stored);
    bumpCodeVersion(botId);
    return stored;
  }

  private boolean deleteCode(
      Map<String, ? extends Map<String, ?>> code, String botId, String name) {
    Map<String, ?> byName = code.get(botId);
    if (byName == null || byName.remove(name) == null) {
      return false;
    }
    bumpCodeVersion(botId);
    return true;
  }

  private void bumpCodeVersion(String botId) {
    Bot b = bots.get(botId);
    if (b != null) {
      bots.put(
          botId, new Bot(b.id(), b.name(), b.apiKeyHash(), b.codeVersion() + 1, b.createdAt()));
    }
  }

  @Override
  public synchronized void putUser(BotUser user) {
    users.put(userKey(user.botId(), user.id()), user);
  }

  @Override
  public synchronized Optional<BotUser> user(String botId, String userId) {
    return Optional.ofNullable(users.get(userKey(botId, userId)));
  }

  private static String userKey(String botId, String userId) {
    return botId + "/" + userId;
  }

  @Override
  public synchronized void putWebhook(Webhook webhook) {
    Webhook taken = webhooks.get(webhook.id());
    if (taken != null) {
      if (taken.equals(webhook)) {
        return; // the same write again, as a retry after a timeout would make it
      }
      throw new IllegalStateException("webhook id already taken");
    }
    webhooks.put(webhook.id(), webhook);
    hookIndex
        .computeIfAbsent(webhook.botId(), k -> new TreeMap<>())
        .put(sortKey(webhook.createdAt(), webhook.id()), webhook.id());
  }

  @Override
  public synchronized Optional<Webhook> webhook(String hookId) {
    return Optional.ofNullable(webhooks.get(hookId));
  }

  @Override
  public synchronized boolean revokeWebhook(String botId, String hookId) {
    Webhook hook = webhooks.get(hookId);
    if (hook == null || !hook.botId().equals(botId)) {
      return false;
    }
    webhooks.remove(hookId);
    hookIndex.get(botId).remove(sortKey(hook.createdAt(), hookId));
    return true;
  }

  @Override
  public synchronized Page<Webhook> webhooks(String botId, PageRequest page) {
    return MemoryPages.page(
        "h", hookIndex.getOrDefault(botId, new TreeMap<>()), page, webhooks::get);
  }

  private static String sortKey(Instant at, String id) {
    return String.format("%013d#%s", at.toEpochMilli(), id);
  }

  @Override
  public synchronized Optional<StoredProperty> property(PropertyKey key) {
    Slot slot = properties.get(key);
    return slot == null || slot.value() == null
        ? Optional.empty()
        : Optional.of(new StoredProperty(key, slot.value(), slot.version()));
  }

  @Override
  public synchronized void putProperty(PropertyKey key, PropertyValue value) {
    write(key, value);
  }

  @Override
  public synchronized boolean deleteProperty(PropertyKey key) {
    if (property(key).isEmpty()) {
      return false;
    }
    write(key, null);
    return true;
  }

  private void write(PropertyKey key, PropertyValue value) {
    Slot old = properties.get(key);
    properties.put(key, new Slot(value, old == null ? 1 : old.version() + 1));
  }

  @Override
  public synchronized void commit(Commit commit) {
    if (appliedTokens.contains(commit.token())) {
      return;
    }
    commit.charge().ifPresent(rateCounts::check);
    if (commit.isEmpty()) {
      commit.hit().ifPresent(this::keepHit);
      commit.charge().ifPresent(rateCounts::add);
      keepToken(commit.token());
      return;
    }
    Map<PropertyKey, Commit.PropertyWrite> writes = new LinkedHashMap<>();
    commit.writes().forEach(w -> writes.put(w.key(), w));
    Set<PropertyKey> touched = new HashSet<>(writes.keySet());
    commit.reads().forEach(r -> touched.add(r.key()));
    if (touched.size() + commit.keptItems() > Commit.MAX_PROPERTIES) {
      throw new IllegalStateException(
          "a commit can check and write at most "
              + Commit.MAX_PROPERTIES
              + " properties, scheduled runs and outbound calls, this one has "
              + (touched.size() + commit.keptItems()));
    }
    // The delivery before the versions, as the DynamoDB store's transaction reports them: a copy
    // of a delivery that another copy recorded is a repeat, not a conflict to run again.
    Optional<Delivery> delivery = commit.delivery();
    if (delivery.isPresent()
        && delivery(delivery.get().hookId(), delivery.get().id(), delivery.get().recordedAt())
            .isPresent()) {
      throw new DuplicateDeliveryException("delivery already recorded", null);
    }
    if (commit.takes().isPresent() && !schedule.containsKey(scheduleKey(commit.takes().get()))) {
      throw new RunTakenException("the kept run was taken before this commit", null);
    }
    for (Commit.PropertyRead read : commit.reads()) {
      requireVersion(read.key(), read.expectedVersion());
    }
    for (Commit.PropertyWrite write : writes.values()) {
      requireVersion(write.key(), write.expectedVersion());
    }
    for (Commit.PropertyWrite write : writes.values()) {
      write(write.key(), write.value());
    }
    for (OutboxEntry entry : commit.outbox()) {
      outbox.computeIfAbsent(entry.botId(), k -> new TreeMap<>()).put(entry.id(), entry);
    }
    commit.takes().ifPresent(this::claimRun);
    commit.runs().forEach(this::scheduleRun);
    commit.calls().forEach(call -> calls.put(call.id(), call));
    delivery.ifPresent(this::record);
    commit.hit().ifPresent(this::keepHit);
    commit.charge().ifPresent(rateCounts::add);
    keepToken(commit.token());
  }

  private void keepToken(String token) {
    appliedTokens.add(token);
    if (appliedTokens.size() > MAX_TOKENS) {
      appliedTokens.remove(appliedTokens.iterator().next());
    }
  }

  @Override
  public synchronized boolean isApplied(Commit commit) {
    return appliedTokens.contains(commit.token());
  }

  @Override
  public synchronized Optional<Delivery> delivery(String hookId, String deliveryId, Instant now) {
    Delivery d = deliveries.get(deliveryKey(hookId, deliveryId));
    if (d != null && !d.isLiveAt(now)) {
      deliveries.remove(deliveryKey(hookId, deliveryId));
      return Optional.empty();
    }
    return Optional.ofNullable(d);
  }

  private void record(Delivery d) {
    Iterator<Delivery> oldest = deliveries.values().iterator();
    while (oldest.hasNext() && !oldest.next().isLiveAt(d.recordedAt())) {
      oldest.remove();
    }
    deliveries.remove(deliveryKey(d.hookId(), d.id()));
    deliveries.put(deliveryKey(d.hookId(), d.id()), d);
  }

  private static String deliveryKey(String hookId, String deliveryId) {
    return hookId + "\n" + deliveryId;
  }

  /** Version 0 stands for absent: never written, or deleted. */
  private void requireVersion(PropertyKey key, long expected) {
    long actual = property(key).map(StoredProperty::version).orElse(0L);
    if (actual != expected) {
      throw new CommitConflictException(
          "property '" + key.name() + "' changed since it was read", null);
    }
  }

  /** A property's value (null once deleted) and its version. */
  private record Slot(PropertyValue value, long version) {}

  @Override
  public synchronized Page<OutboxEntry> messages(
      String botId, Optional<String> userId, PageRequest page) {
    NavigableMap<String, OutboxEntry> all = outbox.getOrDefault(botId, new TreeMap<>());
    NavigableMap<String, OutboxEntry> selected = all;
    if (userId.isPresent()) {
      selected = new TreeMap<>();
      for (Map.Entry<String, OutboxEntry> e : all.entrySet()) {
        if (userId.get().equals(e.getValue().userId())) {
          selected.put(e.getKey(), e.getValue());
        }
      }
    }
    return MemoryPages.page("o", selected, page, Function.identity());
  }

  @Override
  public synchronized void logError(ErrorEntry entry) {
    errors.computeIfAbsent(entry.botId(), k -> new TreeMap<>()).put(entry.id(), entry);
  }

  @Override
  public synchronized Page<ErrorEntry> errors(String botId, PageRequest page) {
    return MemoryPages.page(
        "e", errors.getOrDefault(botId, new TreeMap<>()), page, Function.identity());
  }

  @Override
  public synchronized void logHit(
      HitRecord hit, Optional<ErrorEntry> error, Optional<RateCharge> charge) {
    charge.ifPresent(rateCounts::check);
    keepHit(hit);
    error.ifPresent(this::logError);
    charge.ifPresent(rateCounts::add);
  }

  /** Keeps a hit, forgetting those past their retention (DynamoDB's TTL does that). */
  private void keepHit(HitRecord hit) {
    hits.keep(hit, clock.instant());
  }

  @Override
  public synchronized Optional<HitRecord> hit(String botId, String hitId) {
    return hits.hit(botId, hitId, clock.instant());
  }

  @Override
  public synchronized Page<HitRecord> hits(
      String botId, HitRecord.Filter filter, PageRequest page) {
    return hits.page(botId, filter, page, clock.instant());
  }

  @Override
  public synchronized void scheduleRun(ScheduledRun run) {
    schedule.put(scheduleKey(run), run);
  }

  @Override
  public synchronized List<ScheduledRun> dueRuns(Instant now, int limit) {
    return due(schedule.values(), ScheduledRun::dueAt, now, limit);
  }

  @Override
  public synchronized boolean claimRun(ScheduledRun run) {
    return schedule.remove(scheduleKey(run)) != null;
  }

  private static String scheduleKey(ScheduledRun run) {
    return sortKey(run.dueAt(), run.id());
  }

  @Override
  public synchronized List<HttpCall> dueCalls(Instant now, int limit) {
    return due(calls.values(), HttpCall::dueAt, now, limit);
  }

  /** The first of {@code sorted} (earliest due first) that are due by {@code now}. */
  private static <T> List<T> due(
      Iterable<T> sorted, Function<T, Instant> dueAt, Instant now, int limit) {
    List<T> due = new ArrayList<>();
    for (T item : sorted) {
      if (due.size() == limit || dueAt.apply(item).isAfter(now)) {
        break;
      }
      due.add(item);
    }
    return due;
  }

  @Override
  public synchronized boolean claimHttpCall(HttpCall call) {
    return calls.remove(call.id()) != null;
  }

  @Override
  public synchronized long countHit(String clientKey, Instant now) {
    return rateCounts.count(clientKey, now);
  }

  @Override
  public synchronized long hitsSoFar(String clientKey, Instant now) {
    return rateCounts.hitsSoFar(clientKey, now);
  }

  @Override
  public synchronized Page<Bot> bots(PageRequest page) {
    return NamePages.page("bots", new TreeMap<>(bots), page);
  }

  @Override
  public synchronized boolean replaceApiKeyHash(String botId, String apiKeyHash) {
    return bots.computeIfPresent(
            botId, (id, b) -> new Bot(id, b.name(), apiKeyHash, b.codeVersion(), b.createdAt()))
        != null;
  }

  /** Removes the bot and everything kept under it. */
  @Override
  public synchronized boolean deleteBot(String botId) {
    if (bots.remove(botId) == null) {
      return false;
    }
    hookIndex.getOrDefault(botId, new TreeMap<>()).values().forEach(webhooks::remove);
    List.of(hookIndex, commands, libraries, outbox, errors).forEach(m -> m.remove(botId));
    hits.forget(botId);
    users.keySet().removeIf(k -> k.startsWith(botId + "/"));
    properties.keySet().removeIf(k -> k.botId().equals(botId));
    return true;
  }

  @Override
  public synchronized Page<StoredProperty> properties(
      String botId, Optional<String> userId, PageRequest page) {
    NavigableMap<String, StoredProperty> byName = new TreeMap<>();
    properties.forEach(
        (key, slot) -> {
          if (slot.value() != null && key.botId().equals(botId) && key.user().equals(userId)) {
            byName.put(key.name(), new StoredProperty(key, slot.value(), slot.version()));
          }
        });
    return NamePages.page("props", byName, page);
  }
}
