package dev.botwebhooks.bench;

import dev.botwebhooks.config.Settings;
import dev.botwebhooks.store.dynamodb.DynamoStore;
import dev.botwebhooks.wiring.Seed;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Loads a seed file (such as {@code events/seed.json}) into the DynamoDB table of the environment
 * ({@code DYNAMODB_ENDPOINT}, {@code TABLE_NAME}), creating the table, so that the sample events
 * find their hook there. Run by {@code scripts/bench.sh} before timing cold starts on DynamoDB.
 *
 * <p>Usage: {@code SeedTable <seed.json>}
 */
public final class SeedTable {
  private SeedTable() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: SeedTable <seed.json>");
      System.exit(2);
    }
    DynamoStore store = DynamoStore.create(Settings.fromEnvironment(), HitBenchmark.PATIENT);
    store.createTableIfAbsent();
    Seed.read(Path.of(args[0])).loadInto(store, Clock.systemUTC());
  }
}
