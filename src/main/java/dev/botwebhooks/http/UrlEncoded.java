package dev.botwebhooks.http;

import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code name=value&...} syntax of query strings and form bodies, read leniently: a malformed
 * percent escape keeps its raw text, so a hand-built URL never turns into an error.
 */
public final class UrlEncoded {
  private UrlEncoded() {}

  /** The pairs in order; a repeated name collects its values in order. Escapes are UTF-8. */
  public static Map<String, List<String>> parse(String text) {
    return parse(text, StandardCharsets.UTF_8);
  }

  /** As {@link #parse(String)}, with percent escapes in {@code charset} (a form's charset). */
  public static Map<String, List<String>> parse(String text, Charset charset) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (text == null || text.isEmpty()) {
      return out;
    }
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq), charset);
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1), charset);
      out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    out.replaceAll((k, v) -> List.copyOf(v));
    return out;
  }

  private static String decode(String text, Charset charset) {
    try {
      return URLDecoder.decode(text, charset);
    } catch (IllegalArgumentException e) {
      return text;
    }
  }
}
