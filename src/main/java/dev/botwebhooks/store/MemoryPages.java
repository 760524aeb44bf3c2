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
import java.util.function.Function;

/** The in-memory store's listings: newest first, with cursors that name their listing. */
final class MemoryPages {
  private MemoryPages() {}

  /** Newest first: walks the sorted keys downwards from just below the cursor. */
  static <V, T> Page<T> page(
      String listing, NavigableMap<String, V> sorted, PageRequest request, Function<V, T> toItem) {
    NavigableMap<String, V> view = sorted.descendingMap();
    if (request.cursor().isPresent()) {
      String after = decodeCursor(listing, request.cursor().get());
      view = sorted.headMap(after, false).descendingMap();
    }
    List<T> items = new ArrayList<>();
    String lastKey = null;
    for (Map.Entry<String, V> e : view.entrySet()) {
      if (items.size() == request.limit()) {
        return new Page<>(items, Optional.of(encodeCursor(listing, lastKey)));
      }
      items.add(toItem.apply(e.getValue()));
      lastKey = e.getKey();
    }
    return new Page<>(items, Optional.empty());
  }

  /** A cursor names its listing, so one listing's cursor is refused by another. */
  private static String encodeCursor(String listing, String key) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((listing + ":" + key).getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeCursor(String listing, String cursor) {
    String text;
    try {
      text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new InvalidCursorException(cursor, e);
    }
    if (!text.startsWith(listing + ":") || text.length() == listing.length() + 1) {
      throw new InvalidCursorException(cursor, null);
    }
    return text.substring(listing.length() + 1);
  }
}
