package dev.botwebhooks.core;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Everything the service keeps. Two implementations pass the same contract tests: DynamoDB (one
 * table) and in-memory (the embedded default). Failures to reach the store are {@link
 * StoreUnavailableException}; a refused commit is {@link CommitConflictException}. Listings are
 * newest first. A store with a backend counts its requests into the calling thread's {@link
 * RequestMeter}.
 */
public interface Store
    extends BotStore,
        CodeStore,
        UserStore,
        WebhookStore,
        PropertyStore,
        LogStore,
        HitLogStore,
        ScheduleStore,
        HttpCallStore,
        HitCounter {

  /**
   * Everything a webhook hit reads before its command runs: the client's hit count this minute so
   * far (read, not counted, when {@code clientKey} is present, else 0; the hit's last write counts
   * it, see {@link RateCharge}), the hook, and the hook's bot and user. A store with a backend
   * reads these together (README "Performance": one request once the hook's bot and user are
   * known, and the bot's code with its bot when {@code wantsCode} says the caller would read it
   * next); this default reads them one by one, and no code.
   */
  default HitStart startHit(
      String hookId, Optional<String> clientKey, Instant now, Predicate<String> wantsCode) {
    long hits = clientKey.isPresent() ? hitsSoFar(clientKey.get(), now) : 0;
    Optional<Webhook> hook = webhook(hookId);
    if (hook.isEmpty()) {
      return new HitStart(
          hits, hook, new BotAndUser(Optional.empty(), Optional.empty()), Optional.empty());
    }
    return new HitStart(
        hits, hook, botAndUser(hook.get().botId(), hook.get().user()), Optional.empty());
  }

  /**
   * What {@link #startHit} read; {@code clientHits} excludes the hit that reads it; {@code code}
   * is the bot's code at the version of {@code botAndUser}'s bot, when it was read with it.
   */
  record HitStart(
      long clientHits, Optional<Webhook> hook, BotAndUser botAndUser, Optional<BotCode> code) {}
}
