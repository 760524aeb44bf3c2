package dev.botwebhooks.store.dynamodb;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/** Creates the table and turns on its TTL, for local endpoints and tests. */
final class TableSetup {
  private TableSetup() {}

  /**
   * Creates the table, with TTL, when it does not exist. Whether it exists is asked with a read of
   * a key no record has, a request a hit sends anyway, rather than with DescribeTable, whose answer
   * costs a local cold start about 150 classes and 10 ms to read (README "Performance"); a table
   * that exists is taken as this store made it.
   */
  static void createIfAbsent(DynamoDbClient client, String table) {
    try {
      client.getItem(b -> b.tableName(table).key(Keys.key("SETUP", "SETUP")));
    } catch (ResourceNotFoundException e) {
      try {
        client.createTable(
            b ->
                b.tableName(table)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(stringAttribute(Keys.PK), stringAttribute(Keys.SK))
                    .keySchema(
                        keyElement(Keys.PK, KeyType.HASH), keyElement(Keys.SK, KeyType.RANGE)));
      } catch (ResourceInUseException raced) {
        // Another process created it meanwhile.
      }
      client.waiter().waitUntilTableExists(b -> b.tableName(table));
      enableTtl(client, table);
    }
  }

  /** Enables TTL on the table unless it is (another process may have raced to create it). */
  private static void enableTtl(DynamoDbClient client, String table) {
    TimeToLiveStatus ttl =
        client
            .describeTimeToLive(b -> b.tableName(table))
            .timeToLiveDescription()
            .timeToLiveStatus();
    if (ttl != TimeToLiveStatus.ENABLED && ttl != TimeToLiveStatus.ENABLING) {
      client.updateTimeToLive(
          b ->
              b.tableName(table)
                  .timeToLiveSpecification(s -> s.enabled(true).attributeName(Keys.TTL)));
    }
  }

  private static AttributeDefinition stringAttribute(String name) {
    return AttributeDefinition.builder()
        .attributeName(name)
        .attributeType(ScalarAttributeType.S)
        .build();
  }

  private static KeySchemaElement keyElement(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }
}
