package dev.botwebhooks.reliability;

import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.store.dynamodb.DynamoDbFaultProxy;
import dev.botwebhooks.store.dynamodb.DynamoDbFaultProxy.Fault;
import dev.botwebhooks.store.dynamodb.DynamoDbTestServer;
import dev.botwebhooks.store.dynamodb.DynamoStore;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exactly once on DynamoDB (the test server), through a proxy that cuts transactions' connections
 * after forwarding them, delays, stalls, and honours request tokens as DynamoDB does.
 */
@ExtendWith(DynamoDbTestServer.class)
class DynamoDbExactlyOnceTest extends ExactlyOnceScenarios {
  /** Short enough that a stalled read ends within a hit, long enough for a busy test server. */
  private static final DynamoStore.Timeouts TIMEOUTS =
      new DynamoStore.Timeouts(Duration.ofMillis(1500), Duration.ofSeconds(3), 2);

  private DynamoDbFaultProxy proxy;

  @Override
  Store faultyStore() throws Exception {
    proxy = new DynamoDbFaultProxy(30);
    String table = DynamoDbTestServer.freshTableName("exactly-once");
    DynamoDbTestServer.newStore(table); // the table, made directly
    Settings settings =
        Settings.from(
            Map.of(
                Settings.Env.TABLE_NAME, table,
                Settings.Env.DYNAMODB_ENDPOINT, proxy.endpoint(),
                Settings.Env.AWS_REGION, "us-east-1"));
    return DynamoStore.create(settings, TIMEOUTS);
  }

  @Override
  void cutEveryFifthCommitAnswer() {
    proxy.policy(
        r -> {
          if (r.token() == null) {
            return Fault.PASS;
          }
          return r.transaction() % 5 == 0 ? Fault.CUT_AFTER_FORWARD : Fault.DELAY;
        });
  }

  @Override
  void leaveCommitsInDoubt(int every) {
    proxy.policy(
        r -> {
          if (r.token() != null) {
            return r.transaction() % every == 0 ? Fault.CUT_AFTER_FORWARD : Fault.PASS;
          }
          // The reads that would tell whether a commit applied.
          return r.operation().equals("GetItem") && r.body().contains("TOKEN#")
              ? Fault.STALL
              : Fault.PASS;
        });
  }

  @Override
  void heal() {
    proxy.policy(r -> Fault.PASS);
  }

  @Override
  int lostCommitAnswers() {
    return proxy.cutConnections();
  }

  @Test
  void commitCancelledForAValidationReason_failsAtOnceWith500_notRetriedAsUnavailable()
      throws Exception {
    SetOnce hit = setOnce(n -> Fault.CANCEL_VALIDATION);

    // Cancelled for a validation reason, nothing applied and it would be refused again: one
    // attempt, a 500, never "outcome unknown" after retrying until the deadline.
    assertThat(hit.answer().statusCode()).as(hit.answer().body()).isEqualTo(500);
    assertThat(hit.commitsSent()).isEqualTo(1);
    assertThat(hit.applied()).isFalse();
  }

  @Test
  void commitCancelledForThrottling_isRetried_andAppliesWhenThrottlingStops() throws Exception {
    SetOnce hit = setOnce(n -> n <= 2 ? Fault.CANCEL_THROTTLING : Fault.PASS);

    assertThat(hit.answer().statusCode()).as(hit.answer().body()).isEqualTo(200);
    assertThat(hit.commitsSent()).isGreaterThan(2);
    assertThat(hit.applied()).isTrue();
  }

  private record SetOnce(HttpResponse<String> answer, int commitsSent, boolean applied) {}

  /**
   * One hit of a command that sets a user property, the n-th transaction sent (1 for the first)
   * answered as {@code commitFault} says.
   */
  private SetOnce setOnce(IntFunction<Fault> commitFault) throws Exception {
    try (LocalService service =
        new LocalService(faultyStore(), Map.of(Settings.Env.SCRIPT_TIME_LIMIT_MS, "20000"))) {
      BotClient bot = service.createBot("Cancelled");
      bot.command("/set", "User.setProperty('n', 1, 'integer'); Bot.sendMessage('set');");
      String hook = bot.mint("{\"command\":\"/set\",\"user_id\":\"u1\"}");
      AtomicInteger sent = new AtomicInteger();
      proxy.policy(r -> r.token() == null ? Fault.PASS : commitFault.apply(sent.incrementAndGet()));
      HttpResponse<String> answer = bot.hit(hook);
      heal();
      return new SetOnce(answer, sent.get(), bot.userProperty("u1", "n").isPresent());
    }
  }

  @AfterEach
  void closeProxy() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
  }
}
