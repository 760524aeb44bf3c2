package dev.botwebhooks.store.dynamodb;

import static dev.botwebhooks.store.dynamodb.Attributes.s;
import static dev.botwebhooks.store.dynamodb.Attributes.str;

import dev.botwebhooks.core.InvalidCursorException;
import dev.botwebhooks.core.Page;
import dev.botwebhooks.core.PageRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Queries that read a partition in pages: newest-first listings with cursors, and whole key ranges.
 * A cursor is base64url text naming the listing, the sort key of an item and how many entries of it
 * were already returned.
 */
final class Pages {
  private final DynamoDbClient client;
  private final String table;
  private final SdkCalls calls;

  Pages(DynamoDbClient client, String table, SdkCalls calls) {
    this.client = client;
    this.table = table;
    this.calls = calls;
  }

  /** A filter expression DynamoDB applies to the items of a listing, with its names and values. */
  record Filter(String expression, Map<String, String> names, Map<String, AttributeValue> values) {}

  /** Where a page ended: the sort key of an item and how many of its entries were returned. */
  private record Cursor(String sk, int consumed) {
    String encode(String listing) {
      String text = listing + ":" + consumed + ":" + sk;
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String listing, String cursor) {
      try {
        String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        String[] parts = text.split(":", 3);
        if (parts.length == 3 && parts[0].equals(listing) && !parts[2].isEmpty()) {
          int consumed = Integer.parseInt(parts[1]);
          if (consumed >= 1) {
            return new Cursor(parts[2], consumed);
          }
        }
      } catch (IllegalArgumentException e) {
        throw new InvalidCursorException(cursor, e);
      }
      throw new InvalidCursorException(cursor, null);
    }
  }

  /** A page of a listing whose items are one entry each, unfiltered. */
  <T> Page<T> page(
      String listing,
      List<String> pks,
      PageRequest request,
      Function<Map<String, AttributeValue>, T> toEntry) {
    return page(listing, pks, request, i -> List.of(toEntry.apply(i)), Optional.empty(), e -> true);
  }

  /** An entry of a listing and where it stands in it. */
  private record Placed<T>(T entry, Cursor position) {}

  /**
   * Newest first over one or more partitions of a listing (a sharded listing is read from every
   * shard and merged by sort key, which is unique across its shards), from just below the cursor.
   * One entry past the page is read so that a cursor is handed out only when more follow.
   */
  <T> Page<T> page(
      String listing,
      List<String> pks,
      PageRequest request,
      Function<Map<String, AttributeValue>, List<T>> expand,
      Optional<Filter> filter,
      Predicate<T> accept) {
    Optional<Cursor> cursor = request.cursor().map(c -> Cursor.decode(listing, c));
    int want = request.limit() + 1;
    List<Placed<T>> placed = new ArrayList<>();
    for (String pk : pks) {
      placed.addAll(partition(pk, cursor, want, expand, filter, accept));
    }
    placed.sort(
        Comparator.comparing((Placed<T> p) -> p.position().sk())
            .reversed()
            .thenComparingInt(p -> p.position().consumed()));
    List<T> items = placed.stream().limit(want).map(Placed::entry).toList();
    if (items.size() == want) {
      return new Page<>(
          items.subList(0, request.limit()),
          Optional.of(placed.get(request.limit() - 1).position().encode(listing)));
    }
    return new Page<>(items, Optional.empty());
  }

  /**
   * Up to {@code want} entries of one partition, newest first from just below the cursor,
   * expanding packed items, reading on past filtered-out items until enough or the partition ends.
   */
  private <T> List<Placed<T>> partition(
      String pk,
      Optional<Cursor> cursor,
      int want,
      Function<Map<String, AttributeValue>, List<T>> expand,
      Optional<Filter> filter,
      Predicate<T> accept) {
    Map<String, String> names = new HashMap<>(Map.of("#pk", Keys.PK));
    Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", s(pk)));
    String condition = "#pk = :pk";
    if (cursor.isPresent()) {
      condition += " AND #sk <= :sk";
      names.put("#sk", Keys.SK);
      values.put(":sk", s(cursor.get().sk()));
    }
    QueryRequest.Builder query =
        QueryRequest.builder()
            .tableName(table)
            .consistentRead(true)
            .scanIndexForward(false)
            .keyConditionExpression(condition);
    if (filter.isPresent()) {
      query.filterExpression(filter.get().expression());
      names.putAll(filter.get().names());
      values.putAll(filter.get().values());
    }
    query.expressionAttributeNames(names).expressionAttributeValues(values);
    List<Placed<T>> items = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      // Every item yields at least one entry; with a filter, read more per round trip.
      int limit = filter.isPresent() ? 200 : want - items.size() + (cursor.isPresent() ? 1 : 0);
      QueryRequest q = query.exclusiveStartKey(start).limit(limit).build();
      QueryResponse r = calls.read("list", () -> client.query(q));
      for (Map<String, AttributeValue> item : r.items()) {
        String sk = str(item, Keys.SK);
        List<T> entries = expand.apply(item);
        int skip = cursor.isPresent() && cursor.get().sk().equals(sk) ? cursor.get().consumed() : 0;
        for (int i = skip; i < entries.size() && items.size() < want; i++) {
          if (accept.test(entries.get(i))) {
            items.add(new Placed<>(entries.get(i), new Cursor(sk, i + 1)));
          }
        }
        if (items.size() == want) {
          break;
        }
      }
      start = next(r);
    } while (start != null && items.size() < want);
    return items;
  }

  /** Every item the query matches, following DynamoDB's pages to the end. */
  List<Map<String, AttributeValue>> all(QueryRequest.Builder query) {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      QueryRequest q = query.exclusiveStartKey(start).build();
      QueryResponse r = calls.read("query", () -> client.query(q));
      items.addAll(r.items());
      start = next(r);
    } while (start != null);
    return items;
  }

  private static Map<String, AttributeValue> next(QueryResponse r) {
    return r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
  }
}
