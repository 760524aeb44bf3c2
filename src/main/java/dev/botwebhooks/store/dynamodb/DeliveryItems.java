package dev.botwebhooks.store.dynamodb;

import static dev.botwebhooks.store.dynamodb.Attributes.n;
import static dev.botwebhooks.store.dynamodb.Attributes.num;
import static dev.botwebhooks.store.dynamodb.Attributes.putIfPresent;
import static dev.botwebhooks.store.dynamodb.Attributes.s;
import static dev.botwebhooks.store.dynamodb.Attributes.str;

import dev.botwebhooks.core.Delivery;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Delivery records (README "Reliability"): one item per hook and delivery id, holding the answer
 * given, put in the commit's transaction on condition that no live record exists, and removed by
 * the table's TTL after the retention.
 */
final class DeliveryItems {
  static final String SK = "DELIVERY";
  private static final String ID = "deliveryId";
  private static final String STATUS = "status";
  private static final String HEADERS = "headers";
  private static final String BODY = "body";
  private static final String AT = "recordedAt";
  private static final String EXPIRES = "expiresAt";

  private DeliveryItems() {}

  /** The conditional put: fails if a record of this delivery is still live. */
  static TransactWriteItem put(String table, Delivery d) {
    Map<String, AttributeValue> item = new HashMap<>(Keys.key(Keys.deliveryPk(d.hookId(), d.id()), SK));
    item.put(ID, s(d.id()));
    item.put(STATUS, n(d.answer().status()));
    Map<String, AttributeValue> headers = new HashMap<>();
    d.answer().headers().forEach((k, v) -> headers.put(k, s(v)));
    item.put(HEADERS, AttributeValue.fromM(headers));
    putIfPresent(item, BODY, d.answer().body());
    item.put(AT, n(d.recordedAt().toEpochMilli()));
    item.put(EXPIRES, n(d.expiresAt().toEpochMilli()));
    item.put(Keys.TTL, n(d.expiresAt().getEpochSecond() + 1));
    return TransactWriteItem.builder()
        .put(
            Put.builder()
                .tableName(table)
                .item(item)
                .conditionExpression("attribute_not_exists(#pk) OR #exp <= :now")
                .expressionAttributeNames(Map.of("#pk", Keys.PK, "#exp", EXPIRES))
                .expressionAttributeValues(Map.of(":now", n(d.recordedAt().toEpochMilli())))
                .build())
        .build();
  }

  static Delivery toDelivery(String hookId, Map<String, AttributeValue> item) {
    Map<String, String> headers = new LinkedHashMap<>();
    AttributeValue stored = item.get(HEADERS);
    if (stored != null && stored.hasM()) {
      stored.m().forEach((k, v) -> headers.put(k, v.s()));
    }
    return new Delivery(
        hookId,
        str(item, ID),
        new Delivery.Answer((int) num(item, STATUS), headers, str(item, BODY)),
        Instant.ofEpochMilli(num(item, AT)),
        Instant.ofEpochMilli(num(item, EXPIRES)));
  }
}
