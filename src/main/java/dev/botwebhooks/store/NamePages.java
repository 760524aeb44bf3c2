package dev.botwebhooks.store;

import dev.botwebhooks.core.InvalidCursorException;
import dev.botwebhooks.core.Page;
import dev.botwebhooks.core.PageRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;

/**
 * Listings sorted by name (a bot's properties, the bots): the cursor is base64url text naming the
 * listing and the last name of the page, so one listing's cursor is refused by another. Both
 * stores page these listings the same way.
 */
public final class NamePages {
  private NamePages() {}

  /** A page of {@code byName} from just after the cursor, in name order. */
  static <T> Page<T> page(String listing, NavigableMap<String, T> byName, PageRequest request) {
    NavigableMap<String, T> view =
        request.cursor().isPresent()
            ? byName.tailMap(after(listing, request.cursor()).get(), false)
            : byName;
    List<T> items = new ArrayList<>();
    for (Map.Entry<String, T> e : view.entrySet()) {
      if (items.size() == request.limit()) {
        return new Page<>(items, Optional.of(cursor(listing, view.lowerKey(e.getKey()))));
      }
      items.add(e.getValue());
    }
    return new Page<>(items, Optional.empty());
  }

  /** The cursor of a page whose last name is {@code lastName}. */
  public static String cursor(String listing, String lastName) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((listing + ":" + lastName).getBytes(StandardCharsets.UTF_8));
  }

  /** The last name of the page before, from its cursor; empty for the first page. */
  public static Optional<String> after(String listing, Optional<String> cursor) {
    if (cursor.isEmpty()) {
      return Optional.empty();
    }
    String text;
    try {
      text = new String(Base64.getUrlDecoder().decode(cursor.get()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new InvalidCursorException(cursor.get(), e);
    }
    if (!text.startsWith(listing + ":") || text.length() == listing.length() + 1) {
      throw new InvalidCursorException(cursor.get(), null);
    }
    return Optional.of(text.substring(listing.length() + 1));
  }
}
