package dev.botwebhooks.script;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Optional;
import org.mozilla.javascript.CompilerEnvirons;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.IRFactory;
import org.mozilla.javascript.Interpreter;
import org.mozilla.javascript.Parser;
import org.mozilla.javascript.Script;
import org.mozilla.javascript.ast.AstRoot;
import org.mozilla.javascript.ast.ScriptNode;
import org.mozilla.javascript.ast.TaggedTemplateLiteral;

/**
 * Compiled command and library bodies, kept across warm invocations. The key holds the bot, the
 * name, the version and the exact source, so any change compiles again and an unchanged body never
 * does. The key's source is the very string that was compiled, which the compiled script keeps
 * anyway (for a function's {@code toString}), so keying by it costs no memory; a lookup compares
 * it with the run's source instead of hashing that with SHA-256 on every run. A compiled script holds no run's objects, with one exception Rhino makes:
 * tagged templates cache their call-site array inside the compiled code, so bodies that may
 * contain one are compiled per run and never shared.
 */
final class CompiledScripts {
  static final int MAX_ENTRIES = 4_096;

  /**
   * Its equals and hashCode are written out: a record's own are linked at their first call, which
   * spins eight method-handle classes on a cold start's path (README "Performance").
   */
  private record Key(String botId, String kind, String name, long version, String source) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && version == k.version
          && botId.equals(k.botId)
          && kind.equals(k.kind)
          && name.equals(k.name)
          && source.equals(k.source);
    }

    @Override
    public int hashCode() {
      return Objects.hash(botId, kind, name, version, source);
    }
  }

  /**
   * The most source kept compiled, in characters: compiled code takes about 20 times its source's
   * size, so this bounds the cache near 80 MB however large and many the bodies are.
   */
  static final long MAX_SOURCE_CHARS = 4L << 20;

  /** A body's place: one version of it is kept. */
  private record Slot(String botId, String kind, String name) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Slot s && botId.equals(s.botId) && kind.equals(s.kind) && name.equals(s.name);
    }

    @Override
    public int hashCode() {
      return Objects.hash(botId, kind, name);
    }
  }

  /** Per body: its shared compiled form, or empty when it must be compiled for every run. */
  private final Map<Key, Optional<Script>> scripts = new ConcurrentHashMap<>();
  private final Map<Slot, Key> latest = new ConcurrentHashMap<>();
  private final AtomicLong sourceChars = new AtomicLong();
  private final AtomicLong compilations = new AtomicLong();

  /** The compiled form of a function body: running it yields the function. */
  Script functionBody(
      Context cx, String botId, String kind, String name, long version, String body) {
    String source = "(function(){" + body + "\n})";
    String sourceName = kind + " " + name;
    Key key = new Key(botId, kind, name, version, source);
    Optional<Script> cached = scripts.get(key);
    if (cached != null && cached.isPresent()) {
      return cached.get();
    }
    Compiled compiled = compile(cx, source, sourceName);
    compilations.incrementAndGet();
    if (cached != null) {
      return compiled.script(); // a body compiled for each run of its own, never kept
    }
    // A new version of a body replaces the old one's entry: a bot that edits a command often would
    // otherwise keep every version it ran (a 250 KB body kept about 5.6 MB compiled).
    Slot slot = new Slot(botId, kind, name);
    Key replaced = latest.get(slot);
    if (replaced != null && !replaced.equals(key) && scripts.remove(replaced) != null) {
      sourceChars.addAndGet(-replaced.source().length());
    }
    if (scripts.size() >= MAX_ENTRIES
        || sourceChars.get() + source.length() > MAX_SOURCE_CHARS) {
      // Crude but bounded: a warm container serving more code than this starts afresh.
      scripts.clear();
      latest.clear();
      sourceChars.set(0);
    }
    scripts.put(key, compiled.shared() ? Optional.of(compiled.script()) : Optional.empty());
    latest.put(slot, key);
    sourceChars.addAndGet(source.length());
    return compiled.script();
  }

  /** A compiled body, and whether runs may share it. */
  private record Compiled(Script script, boolean shared) {}

  /**
   * Compiles a body to the interpreter's code. One parse serves the checks and the compile: the
   * tree is looked at for what the body must not have (BigInt literals, nesting too deep to
   * compile: {@link SourceChecks}) and for what keeps it from
   * being shared (tagged templates), then compiled with the steps {@code Context.compileString}
   * takes after its own parse (runs are interpreted: {@link SandboxContextFactory}) but for
   * telling the context's debugger, whose compilation hook the sandbox's does not use.
   */
  private static Compiled compile(Context cx, String source, String sourceName) {
    CompilerEnvirons env = new CompilerEnvirons();
    env.initFromContext(cx);
    AstRoot tree = new Parser(env, env.getErrorReporter()).parse(source, sourceName, 1);
    SourceChecks.check(tree, sourceName);
    boolean shared = !hasTaggedTemplate(tree);
    ScriptNode script =
        new IRFactory(env, sourceName, source, env.getErrorReporter()).transformTree(tree);
    if (env.isGeneratingSource()) {
      script.setRawSource(source);
      script.setRawSourceBounds(0, source.length());
    }
    Interpreter interpreter = new Interpreter();
    return new Compiled(
        interpreter.createScriptObject(interpreter.compile(env, script, source, false), null),
        shared);
  }

  /** Whether the syntax tree has a tagged template. */
  private static boolean hasTaggedTemplate(AstRoot root) {
    boolean[] found = {false};
    root.visit(
        node -> {
          if (node instanceof TaggedTemplateLiteral) {
            found[0] = true;
          }
          return !found[0];
        });
    return found[0];
  }

  /** How many times source was compiled since this cache was made. */
  long compilations() {
    return compilations.get();
  }

  /** Drops every compiled body of one bot. */
  void forget(String botId) {
    latest.keySet().removeIf(slot -> slot.botId().equals(botId));
    for (Key key : scripts.keySet()) {
      if (key.botId().equals(botId) && scripts.remove(key) != null) {
        sourceChars.addAndGet(-key.source().length());
      }
    }
  }

  /** How many bodies are kept, compiled or marked to compile per run. */
  int size() {
    return scripts.size();
  }
}
