package dev.botwebhooks.store.dynamodb;

import static dev.botwebhooks.store.dynamodb.Attributes.s;

import dev.botwebhooks.core.ErrorEntry;
import dev.botwebhooks.core.HitRecord;
import dev.botwebhooks.core.OutboxEntry;
import dev.botwebhooks.core.Page;
import dev.botwebhooks.core.PageRequest;
import dev.botwebhooks.core.RateCharge;
import dev.botwebhooks.core.StoreUnavailableException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The outbox, the error log and the request log (the {@code LogStore} and {@code HitLogStore}
 * roles); outbox entries are written by commits, the logs here.
 */
final class LogRecords {
  /** Writes of a hit's entry, when the rate counter is busy with other transactions. */
  private static final int MAX_ATTEMPTS = 3;

  private final Table table;
  private final Pages pages;
  private final Clock clock;

  LogRecords(Table table, Pages pages, Clock clock) {
    this.table = table;
    this.pages = pages;
    this.clock = clock;
  }

  Page<OutboxEntry> messages(String botId, Optional<String> userId, PageRequest page) {
    Optional<Pages.Filter> filter =
        userId.map(
            u ->
                new Pages.Filter(
                    "#u = :u OR contains(#us, :u)",
                    Map.of("#u", "userId", "#us", OutboxPacks.USERS),
                    Map.of(":u", s(u))));
    // Every shard, merged: a commit too big for one item per entry packs them in one shard.
    return pages.page(
        "o",
        Keys.outPks(botId),
        page,
        Items::toOutboxEntries,
        filter,
        e -> userId.isEmpty() || userId.get().equals(e.userId()));
  }

  void logError(ErrorEntry e) {
    table.put("write error entry", Items.error(e));
  }

  Page<ErrorEntry> errors(String botId, PageRequest page) {
    return pages.page("e", List.of(Keys.errPk(botId)), page, Items::toError);
  }

  /**
   * One PutItem for the entry alone; one transaction with its error entry or its rate charge,
   * whose refusal is {@link dev.botwebhooks.core.RateLimitedException}. The charge is last.
   */
  void logHit(HitRecord hit, Optional<ErrorEntry> error, Optional<RateCharge> charge) {
    Map<String, AttributeValue> item = HitItems.item(hit);
    if (error.isEmpty() && charge.isEmpty()) {
      table.put("write hit", item);
      return;
    }
    // One transaction rather than a batch: the same request count, and no unprocessed items.
    List<TransactWriteItem> items = new ArrayList<>();
    items.add(table.putItem(item));
    error.ifPresent(e -> items.add(table.putItem(Items.error(e))));
    write(items, charge, false);
  }

  /**
   * The entry of a hit whose commit wrote nothing else, and its rate charge, in one transaction
   * with the commit's token put (index 0): the commit sent again after its answer was lost is then
   * found applied, and neither the entry nor the count is written twice.
   */
  void logCommittedHit(HitRecord hit, Optional<RateCharge> charge, TransactWriteItem tokenPut) {
    List<TransactWriteItem> items = new ArrayList<>();
    items.add(tokenPut);
    items.add(table.putItem(HitItems.item(hit)));
    write(items, charge, true);
  }

  /**
   * Writes the items and the charge, last; again when another write met the counter. With
   * {@code tokenFirst}, item 0 is a commit's token put, whose failing condition means applied.
   */
  private void write(List<TransactWriteItem> items, Optional<RateCharge> charge, boolean tokenFirst) {
    charge.ifPresent(c -> items.add(RateCounters.charge(table.name, c)));
    Optional<Integer> chargeIndex = charge.map(c -> items.size() - 1);
    for (int attempt = 1; ; attempt++) {
      try {
        table.transact("write hit", items, UUID.randomUUID().toString());
        return;
      } catch (TransactionCanceledException e) {
        if (tokenFirst && e.hasCancellationReasons()
            && "ConditionalCheckFailed".equals(e.cancellationReasons().get(0).code())) {
          return; // the commit's token: applied before
        }
        RateCounters.refuseIfOverLimit(e, chargeIndex);
        // Otherwise another transaction wrote the counter at the same moment: write again.
        if (attempt == MAX_ATTEMPTS) {
          throw new StoreUnavailableException("DynamoDB cancelled the hit's log write", e);
        }
      }
    }
  }

  Optional<HitRecord> hit(String botId, String hitId) {
    Instant now = clock.instant();
    return table
        .get(HitItems.pk(botId, hitId), hitId)
        .map(HitItems::toHit)
        .filter(h -> HitItems.live(h, now));
  }

  Page<HitRecord> hits(String botId, HitRecord.Filter filter, PageRequest page) {
    Instant now = clock.instant();
    return pages.page(
        "r",
        HitItems.pks(botId),
        page,
        item -> List.of(HitItems.toHit(item)),
        HitItems.filter(filter),
        h -> HitItems.live(h, now));
  }
}
