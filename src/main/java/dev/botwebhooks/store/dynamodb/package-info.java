/**
 * The DynamoDB store, the only package that imports the DynamoDB SDK. Everything lives in one
 * on-demand table with string keys {@code pk}/{@code sk} and TTL on the numeric attribute {@code
 * ttl}:
 *
 * <pre>
 * pk                         sk                          holds
 * BOT#{bot}                  BOT                         name, apiKeyHash, codeVersion, createdAt
 * BOT#{bot}                  CMD#{name}                  name, aliases, source, version
 * BOT#{bot}                  LIB#{name}                  name, source, version
 * BOT#{bot}                  PROP#{name}                 ptype, pval (JSON), ver [, deleted, ttl]
 * BOT#{bot}#U#{user}         USER                        telegramId, firstName, lastName, username
 * BOT#{bot}#U#{user}         PROP#{name}                 the same as a bot's, for a user's property
 * HOOK#{hook}                HOOK                        the webhook [, ttl = expiry]
 * BOT#{bot}#HOOKS#{shard}    {createdAt millis13}#{hook} a copy of the webhook, for listing
 * BOT#{bot}#OUT#{shard}      {entry id}                  one outbox entry, or a pack of entries
 * BOT#{bot}#ERR              {entry id}                  one error-log entry
 * BOT#{bot}#HITS#{shard}     {hit id}                    one request-log entry, ttl
 * RATE#{client}#{minute}     RATE                        hits, ttl
 * TOKEN#{commit token}       TOKEN                       ttl: marks a commit as applied
 * DELIVERY#{hook}#{sha256}   DELIVERY                    a delivery id and its answer, ttl
 * SCHEDULE#{shard}           {dueAt millis13}#{run}      a scheduled run
 * CALLS#{shard}              {call id: dueAt millis13-...} an outbound call a commit kept
 * </pre>
 *
 * <p>No partition takes the writes of a whole deployment or of all of a bot's users (DynamoDB
 * serves about 1,000 writes/s per partition key): each user has a partition of their own, and the
 * listings every hit could write to are sharded, {@code {shard}} being 0-15 from the hash of the
 * user (outbox), the hook (hook listing) or the hit (request log), and 0-31 from the hash of the
 * run in the schedule, which takes every run of the deployment twice (kept, then claimed), and of
 * the call in the kept outbound calls, which take every call twice the same way. A listing
 * reads every shard and merges them by sort key, newest first (the schedule: earliest due first),
 * so pages stay in order; a commit whose outbox needs packs keeps them all in one shard, in order.
 * The schedule is sharded but not split by time: "due by now" stays one key range per shard, so a
 * run overdue for however long is still found.
 *
 * <p>A webhook is written as two puts, the hook (conditional on its id being new) then its listing
 * copy: if the second fails the mint fails, and the hook left behind is one nobody has the id of. A
 * revoke deletes both in one transaction. The sort keys of a bot's partition put {@code BOT},
 * {@code CMD#...} and {@code LIB#...} next to each other, so a bot's code and its code version come
 * back in one query. Property versions only grow: a delete leaves a tombstone ({@code deleted},
 * with a {@code ttl} a month away) whose version is one more, so a run that read an older value can
 * never commit against a property that was deleted and written again since. A commit is one {@code
 * TransactWriteItems}: a {@code TOKEN#} put that fails if the commit was applied before (this makes
 * a retried commit apply once even on servers that ignore {@code ClientRequestToken}, and lets a
 * hit whose commit answer was lost read whether it applied), the {@code DELIVERY#} put of the
 * hit's delivery id if it has one (failing while a live record exists), the hit's rate charge if
 * it has one (an update of its {@code RATE#} counter that fails once the count reached the
 * limit), a condition check per property read, a conditional update per property written, a
 * put per run it keeps in the schedule (its run's {@code Bot.run} calls), a put per outbound
 * call it keeps ({@code HTTP.*}), and a put per outbox entry.
 * When that would pass DynamoDB's 100 items, outbox entries are packed several to an item
 * (attribute {@code entries}, listed one by one); a commit touching more than 95 properties and
 * runs and calls together is refused. An outbound call is claimed by a delete conditional on its
 * {@code CALLS#} item being there, so a queue's redelivery, or a poll that finds it due, finds it
 * taken. Listings read newest first; their cursors are base64url text naming the listing, the
 * sort key of an item and how many entries of it were already returned.
 *
 * <p>The classes: {@code DynamoStore} is the public facade of the {@code Store} port and hands each
 * role to a package-private class on one {@link dev.botwebhooks.store.dynamodb.Table} (the
 * table's requests: get, batch get, put, conditional write, transaction): {@code BotRecords}
 * (bots, users, code), {@code WebhookRecords}, {@code PropertyRecords} (properties, commits,
 * deliveries), {@code LogRecords} (outbox, error log, request log), {@code ScheduleRecords}
 * (scheduled runs, kept outbound calls), {@code HitStarts} (a hit's first reads with its rate
 * count, and {@code HookRoutes}, the bot and user of hooks already read) and {@code RateCounters}
 * (the rate counters, read with a hit's first reads and charged in its last write). Beside them:
 * {@code Keys} (key layout), {@code Items}, {@code HitItems}, {@code DeliveryItems}, {@code
 * OutboxPacks} and {@code Attributes} (record attributes), {@code CommitWrites} (a commit's
 * transaction), {@code Pages} (listings and cursors), {@code SdkCalls} (taking turns, mapping SDK
 * failures), {@code DynamoClients} and {@code HitRequestCounter} (the SDK client) and {@code
 * TableSetup}.
 *
 * <p>With a {@code DYNAMODB_ENDPOINT} (a local stand-in such as moto), the store runs a transaction
 * alone and other writes one at a time, reads beside them: moto runs a transaction by snapshotting
 * the table and restoring the snapshot when a condition fails, which undoes writes that other
 * requests made meanwhile.
 */
package dev.botwebhooks.store.dynamodb;
