package dev.botwebhooks.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.core.Commit;
import dev.botwebhooks.core.HttpCall;
import dev.botwebhooks.core.OutboxEntry;
import dev.botwebhooks.core.PropertyKey;
import dev.botwebhooks.core.PropertyType;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.core.ScheduledRun;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.store.dynamodb.KeyLoad;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The busiest DynamoDB partition key over a simulated day, counted from the store's own key layout
 * ({@link KeyLoad}). The day: 10,000 bots; one has 100,000 users and takes 500 hits/s (a storm of
 * payment callbacks from the provider's few, allow-listed addresses); the other 9,999 bots have
 * 1,000 users each and together take another 500 hits/s, each from the user's own address. Every
 * hit writes what the reference command writes (one user property and one message) and its
 * request-log entry, and also asks for one {@code Bot.run}, which its commit keeps in the schedule
 * and its run's commit takes out again (two writes), and makes one {@code HTTP.post}, which its
 * commit keeps with the outbound calls and a claim takes out again (two writes), so the schedule
 * and the kept calls each take the writes of the whole deployment. Hits are sampled from the day's
 * mix and each key's writes scaled to the day's rate.
 * Prints one JSON object.
 *
 * <p>Usage: {@code KeySpread [sampled hits, default 500000]}
 */
public final class KeySpread {
  private static final int BOTS = 10_000;
  private static final int BIG_BOT_USERS = 100_000;
  private static final int OTHER_BOT_USERS = 1_000;
  private static final double BIG_BOT_HITS_PER_SECOND = 500;
  private static final double OTHER_HITS_PER_SECOND = 500;

  private KeySpread() {}

  public static void main(String[] args) {
    int sampled = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
    KeyLoad layout = new KeyLoad();
    SplittableRandom random = new SplittableRandom(14);
    Map<String, long[]> writes = new HashMap<>();
    double total = BIG_BOT_HITS_PER_SECOND + OTHER_HITS_PER_SECOND;
    Instant dayStart = Instant.parse("2026-01-01T00:00:00Z");
    PropertyValue value = new PropertyValue(PropertyType.INTEGER, Json.MAPPER.valueToTree(1));
    for (long i = 0; i < sampled; i++) {
      boolean big = random.nextDouble() < BIG_BOT_HITS_PER_SECOND / total;
      String bot = big ? "bot0" : "bot" + (1 + random.nextInt(BOTS - 1));
      String user = "u" + random.nextInt(big ? BIG_BOT_USERS : OTHER_BOT_USERS);
      Instant at = dayStart.plusMillis((long) (random.nextDouble() * 86_400_000L));
      String id = Long.toString(at.toEpochMilli(), 36) + "-" + Long.toHexString(random.nextLong());
      ScheduledRun later =
          new ScheduledRun(
              id, bot, "hook0000000000000000", "/later", Json.object(), user, at.plusSeconds(60),
              "", "https://example.com");
      Commit commit =
          new Commit(
                  bot,
                  List.of(),
                  List.of(
                      new Commit.PropertyWrite(PropertyKey.ofUser(bot, user, "paid"), 1, value)),
                  List.of(
                      new OutboxEntry(
                          id, bot, user, OutboxEntry.Kind.MESSAGE, "paid", null, null, null,
                          "hook0000000000000000", at)),
                  id)
              .withRuns(List.of(later))
              .withCalls(List.of(call(at.plusSeconds(80), random, bot, user)));
      for (String pk : layout.commitPartitions(commit, id)) {
        count(writes, pk);
      }
      count(writes, layout.schedulePartition(later)); // its run's commit takes it out
      count(writes, layout.callPartition(commit.calls().get(0))); // its claim, when it is made
      count(writes, layout.hitLogPartition(bot, id)); // the request log's entry of the hit
      if (!big) { // the provider's addresses are allow-listed, so not counted
        count(writes, layout.ratePartition(bot + "-" + user, at));
      }
    }
    double perSecond = total / sampled; // each sampled write stands for this many writes/s
    Map.Entry<String, long[]> busiest =
        writes.entrySet().stream().max((a, b) -> Long.compare(a.getValue()[0], b.getValue()[0])).get();
    ObjectNode out = Json.object();
    out.put("bots", BOTS);
    out.put("big_bot_users", BIG_BOT_USERS);
    out.put("big_bot_hits_per_second", BIG_BOT_HITS_PER_SECOND);
    out.put("other_hits_per_second", OTHER_HITS_PER_SECOND);
    out.put("sampled_hits", sampled);
    out.put("partition_keys_written", writes.size());
    out.put("busiest_key", busiest.getKey());
    out.put("busiest_key_writes_per_second", busiest.getValue()[0] * perSecond);
    System.out.println(Json.write(out));
  }

  /** A callback's notification to the payment provider, with an id as a commit gives it. */
  private static HttpCall call(Instant due, SplittableRandom random, String bot, String user) {
    String id =
        String.format("%013d-%010d-", due.toEpochMilli(), 0) + Long.toHexString(random.nextLong());
    return new HttpCall(
        id, bot, "hook0000000000000000", user, "https://example.com",
        new HttpCall.Request(
            "POST", "https://pay.example.com/v1/ack", Map.of(), "{\"ok\":true}", false, null,
            null, Json.object()));
  }

  private static void count(Map<String, long[]> writes, String pk) {
    writes.computeIfAbsent(pk, k -> new long[1])[0]++;
  }
}
