package dev.botwebhooks.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Request headers, looked up case-insensitively, each name listed once (with the spelling it first
 * came with) and its values in arrival order.
 */
public final class Headers {
  private final Map<String, Entry> byLowerName;

  private record Entry(String name, List<String> values) {}

  private Headers(Map<String, Entry> byLowerName) {
    this.byLowerName = byLowerName;
  }

  public static Headers empty() {
    return new Headers(Map.of());
  }

  public static Builder builder() {
    return new Builder();
  }

  public Optional<String> first(String name) {
    Entry e = byLowerName.get(name.toLowerCase(Locale.ROOT));
    return e == null || e.values.isEmpty() ? Optional.empty() : Optional.of(e.values.get(0));
  }

  public List<String> all(String name) {
    Entry e = byLowerName.get(name.toLowerCase(Locale.ROOT));
    return e == null ? List.of() : e.values;
  }

  /** Each header once, with its values joined by ", " as HTTP allows. */
  public Map<String, String> joined() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Entry e : byLowerName.values()) {
      out.put(e.name, String.join(", ", e.values));
    }
    return out;
  }

  public int size() {
    return byLowerName.size();
  }

  /** Collects headers; repeated names add values. */
  public static final class Builder {
    private final Map<String, Entry> map = new LinkedHashMap<>();

    public Builder add(String name, String value) {
      if (name == null || value == null) {
        return this;
      }
      map.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new Entry(name, new ArrayList<>()))
          .values
          .add(value);
      return this;
    }

    public Headers build() {
      Map<String, Entry> copy = new LinkedHashMap<>();
      map.forEach((k, e) -> copy.put(k, new Entry(e.name, List.copyOf(e.values))));
      return new Headers(Collections.unmodifiableMap(copy));
    }
  }
}
