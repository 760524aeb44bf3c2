package dev.botwebhooks.store;

import dev.botwebhooks.core.Page;
import dev.botwebhooks.core.PageRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.function.Function;

/**
 * The in-memory store's listings: newest first, with cursors that name their listing ({@link
 * NamePages}).
 */
final class MemoryPages {
  private MemoryPages() {}

  /** Newest first: walks the sorted keys downwards from just below the cursor. */
  static <V, T> Page<T> page(
      String listing, NavigableMap<String, V> sorted, PageRequest request, Function<V, T> toItem) {
    NavigableMap<String, V> view = sorted.descendingMap();
    if (request.cursor().isPresent()) {
      String after = NamePages.after(listing, request.cursor()).get();
      view = sorted.headMap(after, false).descendingMap();
    }
    List<T> items = new ArrayList<>();
    String lastKey = null;
    for (Map.Entry<String, V> e : view.entrySet()) {
      if (items.size() == request.limit()) {
        return new Page<>(items, Optional.of(NamePages.cursor(listing, lastKey)));
      }
      items.add(toItem.apply(e.getValue()));
      lastKey = e.getKey();
    }
    return new Page<>(items, Optional.empty());
  }
}
