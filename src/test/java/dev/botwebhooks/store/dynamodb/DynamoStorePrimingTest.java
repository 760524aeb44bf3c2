package dev.botwebhooks.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.wiring.Deployment;
import dev.botwebhooks.wiring.PrimingHits;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A function's init primes the real store's client with a hit's reads and, when init is off the
 * request's path, a commit bound to be refused (README "Performance"): DynamoDB sees them, and
 * nothing is written.
 */
@ExtendWith(DynamoDbTestServer.class)
class DynamoStorePrimingTest {
  @Test
  void priming_sendsAHitsReadsAndACommit_andWritesNothing() {
    String table = DynamoDbTestServer.freshTableName("prime");
    RequestCounter requests = new RequestCounter();
    DynamoStore store = DynamoDbTestServer.newStore(table, requests);
    requests.reset();
    Deployment deployment =
        new Deployment(Settings.defaults(), store, IdGenerator.secure(), Clock.systemUTC());

    deployment.primeStore();
    int status = deployment.primeHitPath(1, PrimingHits::sendDirect);
    deployment.primeCommit();

    assertThat(status).isEqualTo(200);
    assertThat(requests.snapshot()).containsEntry("TransactWriteItems", 1L);
    assertThat(requests.snapshot().keySet())
        .as("reads and the refused commit only")
        .allMatch(op -> op.equals("TransactWriteItems") || op.startsWith("Get")
            || op.startsWith("BatchGet") || op.equals("Query"));
    try (DynamoDbClient client =
        DynamoClients.build(
            DynamoDbTestServer.settings(table), DynamoDbTestServer.TEST_TIMEOUTS, List.of())) {
      assertThat(client.scan(b -> b.tableName(table)).count()).as("items in the table").isZero();
    }
  }
}
