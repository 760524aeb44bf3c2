package dev.botwebhooks.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything the service keeps. Two implementations pass the same contract tests: DynamoDB (one
 * table) and in-memory (the embedded default). Failures to reach the store are {@link
 * StoreUnavailableException}; a refused commit is {@link CommitConflictException}. Listings are
 * newest first.
 */
public interface Store {

  // Bots and their code -----------------------------------------------------------------------

  /** Creates a bot; fails with IllegalStateException if the id is taken. */
  void createBot(Bot bot);

  Optional<Bot> bot(String botId);

  /** A bot and, when {@code userId} is given, that user if registered: one round trip. */
  BotAndUser botAndUser(String botId, Optional<String> userId);

  /** All commands and libraries of a bot, at the bot's current code version. */
  BotCode code(String botId);

  /**
   * Stores a command (replacing one of the same name), bumping its version and the bot's code
   * version together. Returns the command as stored.
   */
  Command putCommand(String botId, String name, List<String> aliases, String source);

  Optional<Command> command(String botId, String name);

  /** Deletes a command; false if there was none. Bumps the bot's code version. */
  boolean deleteCommand(String botId, String name);

  Library putLibrary(String botId, String name, String source);

  Optional<Library> library(String botId, String name);

  boolean deleteLibrary(String botId, String name);

  // Users ---------------------------------------------------------------------------------------

  void putUser(BotUser user);

  Optional<BotUser> user(String botId, String userId);

  // Webhooks ------------------------------------------------------------------------------------

  void putWebhook(Webhook webhook);

  /** The hook with this id, whatever its state; expiry is the caller's to check. */
  Optional<Webhook> webhook(String hookId);

  /** Revokes a hook of this bot; false if the bot has no such hook. */
  boolean revokeWebhook(String botId, String hookId);

  Page<Webhook> webhooks(String botId, PageRequest page);

  // Properties ----------------------------------------------------------------------------------

  Optional<StoredProperty> property(PropertyKey key);

  /** Writes a property outside any run (the API's seeding), bumping its version. */
  void putProperty(PropertyKey key, PropertyValue value);

  boolean deleteProperty(PropertyKey key);

  /**
   * Applies a run's effects atomically: every write and outbox entry (and the request-log entry it
   * carries), or none; a commit with no write and no outbox entry only logs its hit. Fails with {@link
   * CommitConflictException} when a read or written property no longer has the version the run
   * saw.
   */
  void commit(Commit commit);

  // Request log -----------------------------------------------------------------------------------

  /**
   * Writes a hit's request-log entry that no commit carried, with the error-log entry of its failed
   * run if there is one, in one request.
   */
  void logHit(HitRecord hit, Optional<ErrorEntry> error);

  /** A hit of this bot's request log, unless unknown or past its retention. */
  Optional<HitRecord> hit(String botId, String hitId);

  /** The bot's request log, newest first, as the filter selects. */
  Page<HitRecord> hits(String botId, HitRecord.Filter filter, PageRequest page);

  // Outbox and error log ------------------------------------------------------------------------

  Page<OutboxEntry> messages(String botId, Optional<String> userId, PageRequest page);

  void logError(ErrorEntry entry);

  Page<ErrorEntry> errors(String botId, PageRequest page);

  // Scheduled runs --------------------------------------------------------------------------------

  void scheduleRun(ScheduledRun run);

  /** Runs due at {@code now}, earliest first, at most {@code limit}. */
  List<ScheduledRun> dueRuns(Instant now, int limit);

  /**
   * Takes a due run out of the schedule; true for exactly one caller, so that a run is executed
   * at most once however many pollers see it.
   */
  boolean claimRun(ScheduledRun run);

  // Rate limiting ---------------------------------------------------------------------------------

  /**
   * Counts one hit for a client in the minute that {@code now} falls in, and returns the count so
   * far in that minute. Counters expire on their own shortly after their minute.
   */
  long countHit(String clientKey, Instant now);

  // Observability ---------------------------------------------------------------------------------

  /**
   * How many requests this store has sent to its backend from the calling thread so far (every
   * attempt, retries included); a hit reads it before and after to log what it cost. Zero for a
   * store without a backend.
   */
  default long requestsByThisThread() {
    return 0;
  }

  /** A bot and maybe one of its users, as loaded together for a hit. */
  record BotAndUser(Optional<Bot> bot, Optional<BotUser> user) {}
}
