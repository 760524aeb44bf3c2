package dev.botwebhooks.script;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.Script;

/**
 * Compiled command and library bodies, kept across warm invocations. The key holds the bot, the
 * name, the version and a hash of the exact source, so any change compiles again and an unchanged
 * body never does. A compiled script holds no run's objects, with one exception Rhino makes:
 * tagged templates cache their call-site array inside the compiled code, so bodies that may
 * contain one are compiled per run and never shared.
 */
final class CompiledScripts {
  static final int MAX_ENTRIES = 4_096;

  /** A tag before a template literal: an identifier, a closing bracket or parenthesis. */
  private static final Pattern TAGGED_TEMPLATE = Pattern.compile("[\\p{L}\\p{N}_$)\\]]\\s*`");

  private record Key(String botId, String kind, String name, long version, String sha256) {}

  private final Map<Key, Script> scripts = new ConcurrentHashMap<>();
  private final AtomicLong compilations = new AtomicLong();

  /** The compiled form of a function body: running it yields the function. */
  Script functionBody(
      Context cx, String botId, String kind, String name, long version, String body) {
    String source = "(function(){" + body + "\n})";
    if (TAGGED_TEMPLATE.matcher(body).find()) {
      return compile(cx, source, kind + " " + name);
    }
    Key key = new Key(botId, kind, name, version, sha256(source));
    Script cached = scripts.get(key);
    if (cached != null) {
      return cached;
    }
    Script compiled = compile(cx, source, kind + " " + name);
    if (scripts.size() >= MAX_ENTRIES) {
      // Crude but bounded: a warm container serving more code than this starts afresh.
      scripts.clear();
    }
    scripts.put(key, compiled);
    return compiled;
  }

  private Script compile(Context cx, String source, String sourceName) {
    compilations.incrementAndGet();
    BigIntCheck.refuseBigInts(cx, source, sourceName);
    return cx.compileString(source, sourceName, 1, null);
  }

  /** How many times source was compiled since this cache was made. */
  long compilations() {
    return compilations.get();
  }

  private static String sha256(String source) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(source.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
