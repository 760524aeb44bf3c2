package dev.botwebhooks.store.dynamodb;

import dev.botwebhooks.core.Commit;
import dev.botwebhooks.core.HttpCall;
import dev.botwebhooks.core.ScheduledRun;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The partition keys that a hit's writes land on, taken from the store's own layout ({@link Keys},
 * {@link CommitWrites}, {@link Items}) rather than restated, so that the benchmark's count of the
 * busiest partition over a simulated day (README "Performance") follows the layout as it is.
 */
public final class KeyLoad {
  private final CommitWrites writes = new CommitWrites("table", Clock.systemUTC());

  /** The partition of every item a commit writes (its condition checks write nothing). */
  public List<String> commitPartitions(Commit commit, String token) {
    List<String> pks = new ArrayList<>();
    for (TransactWriteItem item : writes.items(commit, token)) {
      Map<String, AttributeValue> key =
          item.put() != null
              ? item.put().item()
              : item.update() != null
                  ? item.update().key()
                  : item.delete() != null ? item.delete().key() : null;
      if (key != null) {
        pks.add(key.get(Keys.PK).s());
      }
    }
    return pks;
  }

  /** The partition a scheduled run is written to. */
  public String schedulePartition(ScheduledRun run) {
    return Items.scheduledRun(run).get(Keys.PK).s();
  }

  /** The partition an outbound call is kept in. */
  public String callPartition(HttpCall call) {
    return Items.httpCall(call).get(Keys.PK).s();
  }

  /** The request-log partition a hit's entry is written to. */
  public String hitLogPartition(String botId, String hitId) {
    return HitItems.pk(botId, hitId);
  }

  /** The partition of a client's rate counter at {@code now}. */
  public String ratePartition(String clientKey, Instant now) {
    return Keys.ratePk(clientKey, now.getEpochSecond() / 60);
  }
}
