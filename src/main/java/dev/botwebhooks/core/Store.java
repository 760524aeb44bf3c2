package dev.botwebhooks.core;

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
        HitCounter {}
