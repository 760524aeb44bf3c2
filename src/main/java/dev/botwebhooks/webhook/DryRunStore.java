package dev.botwebhooks.webhook;

import dev.botwebhooks.core.Bot;
import dev.botwebhooks.core.BotCode;
import dev.botwebhooks.core.BotUser;
import dev.botwebhooks.core.Command;
import dev.botwebhooks.core.Commit;
import dev.botwebhooks.core.Delivery;
import dev.botwebhooks.core.ErrorEntry;
import dev.botwebhooks.core.HitRecord;
import dev.botwebhooks.core.HttpCall;
import dev.botwebhooks.core.Library;
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
import dev.botwebhooks.core.Transpiled;
import dev.botwebhooks.core.Webhook;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The store a dry-run replay runs on (README "The request log"): it reads the real store only
 * through {@link Reads}, a handful of read functions, and has no reference to anything that
 * writes; every write of the run lands in this object's memory, where the run reads it back and
 * the replay reports it. Calls the hit path never makes are refused.
 */
final class DryRunStore implements Store {

  /** The reads of the hit path, and nothing else of the real store. */
  record Reads(
      BiFunction<String, Optional<String>, BotAndUser> botAndUser,
      Function<String, BotCode> code,
      BiFunction<String, String, Optional<BotUser>> user,
      Function<String, Optional<Webhook>> webhook,
      Function<PropertyKey, Optional<StoredProperty>> property) {

    static Reads of(Store store) {
      return new Reads(
          store::botAndUser, store::code, store::user, store::webhook, store::property);
    }
  }

  private final Reads reads;
  private final Map<PropertyKey, Optional<StoredProperty>> properties = new LinkedHashMap<>();
  private final Map<String, Webhook> minted = new LinkedHashMap<>();
  private final List<OutboxEntry> outbox = new ArrayList<>();
  private final List<ScheduledRun> scheduled = new ArrayList<>();
  private final List<ErrorEntry> errors = new ArrayList<>();
  private final Map<PropertyKey, Optional<PropertyValue>> firstSeen = new HashMap<>();

  DryRunStore(Reads reads) {
    this.reads = reads;
  }

  // What the run did ------------------------------------------------------------------------------

  /** Each property the run's commits wrote, with its value before the run and after it. */
  Map<PropertyKey, RunTransaction.Change> changes() {
    Map<PropertyKey, RunTransaction.Change> changes = new LinkedHashMap<>();
    properties.forEach(
        (key, now) ->
            changes.put(
                key,
                new RunTransaction.Change(
                    key, firstSeen.get(key), now.map(StoredProperty::value))));
    return changes;
  }

  List<OutboxEntry> outbox() {
    return List.copyOf(outbox);
  }

  List<ScheduledRun> scheduled() {
    return List.copyOf(scheduled);
  }

  List<Webhook> minted() {
    return List.copyOf(minted.values());
  }

  List<ErrorEntry> errors() {
    return List.copyOf(errors);
  }

  // Reads: this run's own writes first, then the real store ------------------------------------

  @Override
  public BotAndUser botAndUser(String botId, Optional<String> userId) {
    return reads.botAndUser().apply(botId, userId);
  }

  @Override
  public BotCode code(String botId) {
    return reads.code().apply(botId);
  }

  @Override
  public Optional<BotUser> user(String botId, String userId) {
    return reads.user().apply(botId, userId);
  }

  @Override
  public Optional<Webhook> webhook(String hookId) {
    Webhook own = minted.get(hookId);
    return own != null ? Optional.of(own) : reads.webhook().apply(hookId);
  }

  @Override
  public Optional<StoredProperty> property(PropertyKey key) {
    Optional<StoredProperty> own = properties.get(key);
    return own != null ? own : reads.property().apply(key);
  }

  // Writes: kept here -------------------------------------------------------------------------

  @Override
  public void commit(Commit commit) {
    if (commit.takes().isPresent() && !scheduled.remove(commit.takes().get())) {
      throw new RunTakenException("the kept run was taken before this commit", null);
    }
    for (Commit.PropertyWrite w : commit.writes()) {
      Optional<StoredProperty> before = property(w.key());
      firstSeen.putIfAbsent(w.key(), before.map(StoredProperty::value));
      long version = before.map(StoredProperty::version).orElse(0L) + 1;
      properties.put(
          w.key(),
          Optional.ofNullable(w.value()).map(v -> new StoredProperty(w.key(), v, version)));
    }
    outbox.addAll(commit.outbox());
    scheduled.addAll(commit.runs());
  }

  @Override
  public void putWebhook(Webhook webhook) {
    minted.put(webhook.id(), webhook);
  }

  @Override
  public void logError(ErrorEntry entry) {
    errors.add(entry);
  }

  @Override
  public void logHit(HitRecord hit, Optional<ErrorEntry> error, Optional<RateCharge> charge) {
    error.ifPresent(errors::add);
  }

  /** A chained run claims its kept run from the commit that kept it, as from the schedule. */
  @Override
  public boolean claimRun(ScheduledRun run) {
    return scheduled.remove(run);
  }

  /** A replay is not a provider's retry: no delivery of it is on record. */
  @Override
  public Optional<Delivery> delivery(String hookId, String deliveryId, Instant now) {
    return Optional.empty();
  }

  /** A replay is not a client's hit: it counts against no rate limit. */
  @Override
  public long countHit(String clientKey, Instant now) {
    return 0;
  }

  @Override
  public long hitsSoFar(String clientKey, Instant now) {
    return 0;
  }

  // Not on the hit path ---------------------------------------------------------------------------

  private static UnsupportedOperationException notInDryRun(String what) {
    return new UnsupportedOperationException(what + " is not part of a dry run");
  }

  @Override
  public void createBot(Bot bot) {
    throw notInDryRun("createBot");
  }

  @Override
  public Optional<Bot> bot(String botId) {
    throw notInDryRun("bot");
  }

  @Override
  public Page<Bot> bots(PageRequest page) {
    throw notInDryRun("bots");
  }

  @Override
  public boolean replaceApiKeyHash(String botId, String apiKeyHash) {
    throw notInDryRun("replaceApiKeyHash");
  }

  @Override
  public boolean deleteBot(String botId) {
    throw notInDryRun("deleteBot");
  }

  @Override
  public Page<StoredProperty> properties(
      String botId, Optional<String> userId, PageRequest page) {
    throw notInDryRun("properties");
  }

  @Override
  public Command putCommand(
      String botId,
      String name,
      List<String> aliases,
      String source,
      Optional<Transpiled> runnable) {
    throw notInDryRun("putCommand");
  }

  @Override
  public Optional<Command> putCommandAt(
      long basedOn,
      String botId,
      String name,
      List<String> aliases,
      String source,
      Optional<Transpiled> runnable) {
    throw notInDryRun("putCommandAt");
  }

  @Override
  public Optional<Command> command(String botId, String name) {
    throw notInDryRun("command");
  }

  @Override
  public boolean deleteCommand(String botId, String name) {
    throw notInDryRun("deleteCommand");
  }

  @Override
  public Library putLibrary(
      String botId, String name, String source, Optional<Transpiled> runnable) {
    throw notInDryRun("putLibrary");
  }

  @Override
  public Optional<Library> library(String botId, String name) {
    throw notInDryRun("library");
  }

  @Override
  public boolean deleteLibrary(String botId, String name) {
    throw notInDryRun("deleteLibrary");
  }

  @Override
  public void putUser(BotUser user) {
    throw notInDryRun("putUser");
  }

  @Override
  public boolean revokeWebhook(String botId, String hookId) {
    // Only a hook the replay minted itself, for a run whose effects it dropped.
    if (minted.containsKey(hookId) && minted.get(hookId).botId().equals(botId)) {
      minted.remove(hookId);
      return true;
    }
    throw notInDryRun("revokeWebhook");
  }

  @Override
  public Page<Webhook> webhooks(String botId, PageRequest page) {
    throw notInDryRun("webhooks");
  }

  @Override
  public void putProperty(PropertyKey key, PropertyValue value) {
    throw notInDryRun("putProperty");
  }

  @Override
  public boolean deleteProperty(PropertyKey key) {
    throw notInDryRun("deleteProperty");
  }

  @Override
  public boolean isApplied(Commit commit) {
    throw notInDryRun("isApplied");
  }

  @Override
  public Optional<HitRecord> hit(String botId, String hitId) {
    throw notInDryRun("hit");
  }

  @Override
  public Page<HitRecord> hits(String botId, HitRecord.Filter filter, PageRequest page) {
    throw notInDryRun("hits");
  }

  @Override
  public Page<OutboxEntry> messages(String botId, Optional<String> userId, PageRequest page) {
    throw notInDryRun("messages");
  }

  @Override
  public Page<ErrorEntry> errors(String botId, PageRequest page) {
    throw notInDryRun("errors");
  }

  @Override
  public List<ScheduledRun> dueRuns(Instant now, int limit) {
    throw notInDryRun("dueRuns");
  }

  @Override
  public void scheduleRun(ScheduledRun run) {
    throw notInDryRun("scheduleRun");
  }

  @Override
  public List<HttpCall> dueCalls(Instant now, int limit) {
    throw notInDryRun("dueCalls");
  }

  @Override
  public boolean claimHttpCall(HttpCall call) {
    throw notInDryRun("claimHttpCall");
  }
}
