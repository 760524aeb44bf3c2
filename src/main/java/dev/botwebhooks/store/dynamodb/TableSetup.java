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

  /** Creates the table when it does not exist, and enables TTL on it when it is not enabled. */
  static void createIfAbsent(DynamoDbClient client, String table) {
    try {
      client.describeTable(b -> b.tableName(table));
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
    }
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
