package dev.botwebhooks.webhook;

import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.Commit;
import dev.botwebhooks.core.Delivery;
import dev.botwebhooks.core.HttpCall;
import dev.botwebhooks.core.Ids;
import dev.botwebhooks.core.InvalidRequestException;
import dev.botwebhooks.core.LimitExceededException;
import dev.botwebhooks.core.MintRequest;
import dev.botwebhooks.core.MintedWebhook;
import dev.botwebhooks.core.Minter;
import dev.botwebhooks.core.OutboxEntry;
import dev.botwebhooks.core.PropertyKey;
import dev.botwebhooks.core.PropertyStore;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.core.RequestMeter;
import dev.botwebhooks.core.RunHost;
import dev.botwebhooks.core.ScheduledRun;
import dev.botwebhooks.core.StoreUnavailableException;
import dev.botwebhooks.core.StoredProperty;
import dev.botwebhooks.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The store as one run sees it: reads go to the store once per property and remember the version
 * seen; writes are buffered and read back by the same run; {@link #commitOf} turns them into one
 * atomic {@link Commit} that holds only if nothing the run read or wrote changed meanwhile.
 */
final class RunTransaction implements RunHost {
  /**
   * Properties one run may touch, {@code Bot.run} calls and {@code HTTP.*} calls it may make,
   * together (each call is kept by the run's commit): a commit's own limit less room for its
   * outbox, which packs the messages of a run (50 of 4096 characters by default) into a few items.
   */
  static final int MAX_PROPERTIES_PER_RUN = Commit.MAX_PROPERTIES - 5;

  /** The name the error log gives that limit. */
  static final String MAX_PROPERTIES_LIMIT = "MAX_PROPERTIES_PER_RUN";

  /**
   * The bytes of property values and outbound calls one run may write in all: DynamoDB takes at
   * most 4 MB in one transaction, which also carries the run's outbox ({@code MAX_OUTBOX_BYTES}),
   * its request-log entry and its delivery's answer. Without it, 90 properties of {@code
   * MAX_PROPERTY_BYTES} each would pass the embedded store and be refused by DynamoDB.
   */
  static final int MAX_PROPERTY_BYTES_PER_RUN = 3 << 20;

  /** The name the error log gives that limit. */
  static final String MAX_PROPERTY_BYTES_PER_RUN_LIMIT = "MAX_PROPERTY_BYTES_PER_RUN";

  private final PropertyStore store;
  private final RequestMeter meter;
  private final Minter minter;
  private final String botId;
  private final String baseUrl;
  private final int maxPropertyBytes;
  private final Map<PropertyKey, Long> versionsSeen = new HashMap<>();
  private final Map<PropertyKey, Optional<PropertyValue>> current = new HashMap<>();
  private final Map<PropertyKey, Optional<PropertyValue>> original = new HashMap<>();
  private final Map<PropertyKey, PropertyValue> writes = new LinkedHashMap<>();
  private final Map<PropertyKey, Integer> writtenBytes = new HashMap<>();
  private final QueuedCalls calls;
  private final List<String> minted = new ArrayList<>();
  private final Map<MintRequest, String> mintedUrls = new HashMap<>();
  /** {@code Bot.run} calls the run's commit is to keep in the schedule. */
  private int runsKept;

  /**
   * @param meter the hit's request meter: the run calls the store from its worker thread, and
   *     those calls count towards the hit
   * @param calls where the run's outbound calls wait for its commit
   */
  RunTransaction(
      PropertyStore store,
      Minter minter,
      RequestMeter meter,
      String botId,
      String baseUrl,
      Settings.Limits limits,
      QueuedCalls calls) {
    this.store = store;
    this.meter = meter;
    this.minter = minter;
    this.botId = botId;
    this.baseUrl = baseUrl;
    this.maxPropertyBytes = limits.maxPropertyBytes();
    this.calls = calls;
  }

  @Override
  public Optional<PropertyValue> getProperty(Optional<String> userId, String name) {
    return load(key(userId, name));
  }

  @Override
  public void setProperty(Optional<String> userId, String name, PropertyValue value) {
    int bytes = Json.write(value.value()).getBytes(StandardCharsets.UTF_8).length;
    if (bytes > maxPropertyBytes) {
      throw new LimitExceededException(
          Settings.Env.MAX_PROPERTY_BYTES,
          "property '" + name + "' is " + bytes + " bytes, over the limit of " + maxPropertyBytes);
    }
    PropertyKey key = key(userId, name);
    load(key);
    requireBytes(bytes - writtenBytes.getOrDefault(key, 0), "property '" + name + "'");
    writtenBytes.put(key, bytes);
    writes.put(key, value);
    current.put(key, Optional.of(value));
  }

  @Override
  public void deleteProperty(Optional<String> userId, String name) {
    PropertyKey key = key(userId, name);
    load(key);
    writtenBytes.remove(key);
    writes.put(key, null);
    current.put(key, Optional.empty());
  }

  /** One hook per set of options in a run: the same options again give the same URL. */
  @Override
  public String mint(MintRequest request) {
    String known = mintedUrls.get(request);
    if (known != null) {
      return known;
    }
    MintedWebhook hook = meter.during(() -> minter.mint(botId, request, baseUrl));
    minted.add(hook.webhook().id());
    mintedUrls.put(request, hook.url());
    return hook.url();
  }

  /**
   * Removes the hooks this run minted, once its effects are dropped (it failed, or it runs again
   * after a conflict, or another copy of its delivery applied): a hook is written when minted, so
   * that the run can hand out its URL, and would otherwise outlive the run (README "What a run
   * keeps"). Best effort: a store that fails here leaves a hook whose URL nobody was given.
   */
  void dropMinted() {
    for (String hookId : minted) {
      try {
        meter.during(() -> minter.unmint(botId, hookId));
      } catch (StoreUnavailableException e) {
        System.err.println("hook " + hookId + " of a dropped run not removed: " + e.getMessage());
      }
    }
    minted.clear();
    mintedUrls.clear();
  }

  @Override
  public void keepRun() {
    requireRoom();
    runsKept++;
  }

  @Override
  public void queueHttpCall(HttpCall.Request request) {
    long bytes = calls.check(request);
    requireRoom();
    requireBytes(bytes, "an HTTP call");
    calls.add(request, bytes);
  }

  /** The outbound calls the run asked for, to be kept by its commit and then sent. */
  QueuedCalls calls() {
    return calls;
  }

  /**
   * The run's effects, with its outbox entries, the runs to keep in the schedule, the outbound
   * calls to keep, the kept run it is the run of (if it is one) and the delivery to record, as one
   * commit.
   */
  Commit commitOf(
      List<OutboxEntry> outbox,
      List<ScheduledRun> runs,
      List<HttpCall> keptCalls,
      Optional<ScheduledRun> takes,
      String token,
      Optional<Delivery> delivery) {
    List<Commit.PropertyRead> reads = new ArrayList<>();
    List<Commit.PropertyWrite> propertyWrites = new ArrayList<>();
    for (Map.Entry<PropertyKey, Long> seen : versionsSeen.entrySet()) {
      PropertyKey key = seen.getKey();
      if (writes.containsKey(key)) {
        propertyWrites.add(new Commit.PropertyWrite(key, seen.getValue(), writes.get(key)));
      } else {
        reads.add(new Commit.PropertyRead(key, seen.getValue()));
      }
    }
    return new Commit(
        botId, reads, propertyWrites, outbox, token, delivery, Optional.empty(), Optional.empty(),
        runs, keptCalls, takes);
  }

  /** A property the run wrote: its value as the run first read it, and as it left it. */
  record Change(PropertyKey key, Optional<PropertyValue> before, Optional<PropertyValue> after) {}

  /** The run's writes, in the order the properties were first written. */
  List<Change> changes() {
    List<Change> changes = new ArrayList<>();
    writes.forEach(
        (key, value) ->
            changes.add(new Change(key, original.get(key), Optional.ofNullable(value))));
    return changes;
  }

  private Optional<PropertyValue> load(PropertyKey key) {
    Optional<PropertyValue> known = current.get(key);
    if (known != null) {
      return known;
    }
    requireRoom();
    Optional<StoredProperty> stored = meter.during(() -> store.property(key));
    versionsSeen.put(key, stored.map(StoredProperty::version).orElse(0L));
    Optional<PropertyValue> value = stored.map(StoredProperty::value);
    current.put(key, value);
    original.put(key, value);
    return value;
  }

  /** Room in the run's commit for one more property, {@code Bot.run} or {@code HTTP.*} call. */
  private void requireRoom() {
    if (versionsSeen.size() + runsKept + calls.count() >= MAX_PROPERTIES_PER_RUN) {
      throw new LimitExceededException(
          MAX_PROPERTIES_LIMIT,
          "a run may read or write at most " + MAX_PROPERTIES_PER_RUN
              + " properties, each Bot.run and HTTP call counting as one");
    }
  }

  /** Room in the run's commit for {@code more} bytes of properties and calls, for {@code what}. */
  private void requireBytes(long more, String what) {
    long total =
        writtenBytes.values().stream().mapToLong(Integer::longValue).sum() + calls.bytes() + more;
    if (total > MAX_PROPERTY_BYTES_PER_RUN) {
      throw new LimitExceededException(
          MAX_PROPERTY_BYTES_PER_RUN_LIMIT,
          "a run may write at most " + MAX_PROPERTY_BYTES_PER_RUN
              + " bytes of properties and HTTP calls in all; " + what + " would make " + total);
    }
  }

  private PropertyKey key(Optional<String> userId, String name) {
    if (name == null || name.isEmpty() || name.length() > PropertyKey.MAX_NAME_LENGTH) {
      throw new InvalidRequestException(
          "name", "property name must be 1-" + PropertyKey.MAX_NAME_LENGTH + " characters");
    }
    if (userId.isPresent() && !Ids.isUserId(userId.get())) {
      throw new InvalidRequestException("user_id", "user_id must be 1-64 of [A-Za-z0-9_-]");
    }
    return new PropertyKey(botId, userId.orElse(null), name);
  }
}
