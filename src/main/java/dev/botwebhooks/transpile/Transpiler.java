package dev.botwebhooks.transpile;

import com.google.debugging.sourcemap.SourceMapConsumerV3;
import com.google.debugging.sourcemap.SourceMapParseException;
import com.google.javascript.jscomp.CompilationLevel;
import com.google.javascript.jscomp.Compiler;
import com.google.javascript.jscomp.CompilerOptions;
import com.google.javascript.jscomp.CompilerOptions.LanguageMode;
import com.google.javascript.jscomp.JSError;
import com.google.javascript.jscomp.Result;
import com.google.javascript.jscomp.SourceFile;
import dev.botwebhooks.core.Transpiled;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes a body runnable by the engine: as written when Rhino parses it, else transpiled by the
 * Closure Compiler (ECMAScript 2022 and later in, ES5 out, whitespace-only, with the runtime
 * helpers the output calls injected into the body itself).
 */
public final class Transpiler {
  /** The wrapper that makes a body with a top-level {@code return} a script for the compiler. */
  private static final String HEAD = "function $bw$body(){";

  private static final String HEAD_OUT = "function $bw$body() {\n";
  private static final Pattern HELPER = Pattern.compile("\\$jscomp\\.([A-Za-z]+)");

  /** The compiler's runtime library that defines each helper a transpiled body may call. */
  private static final Map<String, String> HELPER_LIBRARIES =
      Map.ofEntries(
          Map.entry("inherits", "es6/util/inherits"),
          Map.entry("getRestArguments", "es6/util/restarguments"),
          Map.entry("arrayFromIterable", "es6/util/arrayfromiterable"),
          Map.entry("arrayFromIterator", "es6/util/arrayfromiterator"),
          Map.entry("makeIterator", "es6/util/makeiterator"),
          Map.entry("iteratorClose", "es6/util/iteratorclose"),
          Map.entry("assign", "es6/util/assign"),
          Map.entry("createTemplateTagFirstArg", "es6/util/createtemplatetagfirstarg"),
          Map.entry("global", "base"),
          Map.entry("defineProperty", "base"),
          Map.entry("objectCreate", "base"));

  /** A body that cannot run: the place in the uploaded file and the reason. */
  public static final class SyntaxProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient int line;
    private final transient int column;
    private final transient String reason;

    SyntaxProblem(int line, int column, String reason) {
      super("syntax error at line " + line + ", column " + Math.max(1, column) + ": " + reason,
          null, false, false);
      this.line = line;
      this.column = column;
      this.reason = reason;
    }

    /**
     * The same problem within the body: one found after its last line (the end of input, in
     * the wrapper the body is parsed in) is placed just after the last character.
     */
    SyntaxProblem within(String body) {
      String[] lines = body.split("\\r\\n|\\r|\\n", -1);
      if (line <= lines.length) {
        return this;
      }
      return new SyntaxProblem(lines.length, lines[lines.length - 1].length() + 1, reason);
    }
  }

  /** At most this many {@code let} identifiers are renamed in one body (see LetIdentifier). */
  private static final int MAX_LET_RENAMES = 100;

  private Transpiler() {}

  /**
   * The transpiled form of a body, or empty when the engine runs it as written.
   *
   * @throws SyntaxProblem when neither the engine nor the compiler parses it, naming the line and
   *     column in the body
   */
  public static Optional<Transpiled> prepare(String body) {
    FutureTask<Optional<Transpiled>> task = new FutureTask<>(() -> transpiled(body));
    Thread thread = new Thread(null, task, "upload-compile", STACK_BYTES);
    thread.setDaemon(true);
    thread.start();
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while compiling an upload", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SyntaxProblem p) {
        throw p.within(body);
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /**
   * The stack a body is checked and compiled in, the same wherever the upload comes from: a
   * quarter of the 8 MiB a run has, so that what compiles here compiles in a run, whatever the
   * JIT compiler has done to the frames (README "Transpiling at upload").
   */
  private static final long STACK_BYTES = 2L << 20;

  private static Optional<Transpiled> transpiled(String body) {
    Optional<EngineSyntax.Problem> asWritten = EngineSyntax.check(body);
    if (asWritten.isEmpty()) {
      return Optional.empty();
    }
    if (asWritten.get().reason().equals(TOO_DEEP)) {
      throw new SyntaxProblem(1, 1, TOO_DEEP); // transpiling keeps its nesting
    }
    String source = body;
    Compiled first = null;
    for (int renamed = 0; first == null; renamed++) {
      try {
        first = compile(source, Set.of());
      } catch (SyntaxProblem p) {
        Optional<String> renaming = LetIdentifier.renameAt(source, p.line, p.column);
        if (renaming.isEmpty() || renamed == MAX_LET_RENAMES) {
          throw p;
        }
        source = renaming.get();
      }
    }
    Set<String> libraries = new LinkedHashSet<>();
    Matcher m = HELPER.matcher(first.code);
    while (m.find()) {
      libraries.add(HELPER_LIBRARIES.getOrDefault(m.group(1), "es6_runtime"));
    }
    Compiled done = libraries.isEmpty() ? first : compile(source, libraries);
    Transpiled transpiled = done.unwrap();
    Optional<EngineSyntax.Problem> after = EngineSyntax.check(transpiled.code());
    if (after.isPresent()) {
      // What the engine still cannot parse after transpiling: its reason, at the user's line.
      EngineSyntax.Problem p = after.get();
      throw new SyntaxProblem(transpiled.sourceLine(p.line()), 1, p.reason());
    }
    return Optional.of(transpiled);
  }

  private record Compiled(String code, int[] lines) {
    /** The body again: the wrapper's first and last line blanked, so that lines stay put. */
    Transpiled unwrap() {
      int start = code.indexOf(HEAD_OUT);
      int end = code.lastIndexOf('}');
      if (start < 0 || end < start) {
        throw new IllegalStateException("the compiler's output lost the body's wrapper");
      }
      String inner =
          code.substring(0, start) + "\n" + code.substring(start + HEAD_OUT.length(), end);
      return new Transpiled(inner, lines);
    }
  }

  private static Compiled compile(String body, Set<String> libraries) {
    CompilerOptions options = new CompilerOptions();
    CompilationLevel.WHITESPACE_ONLY.setOptionsForCompilationLevel(options);
    options.setLanguageIn(LanguageMode.ECMASCRIPT_NEXT);
    options.setLanguageOut(LanguageMode.ECMASCRIPT5);
    options.setEmitUseStrict(false);
    options.setPrettyPrint(true);
    options.setSourceMapOutputPath("body.map");
    options.setForceLibraryInjection(new ArrayList<>(libraries));
    Compiler compiler = new Compiler(new PrintStream(OutputStream.nullOutputStream()));
    compiler.disableThreads();
    Result result =
        withinStack(
            () ->
                compiler.compile(
                    List.of(SourceFile.fromCode("externs.js", "")),
                    List.of(SourceFile.fromCode("body.js", HEAD + body + "\n}")),
                    options));
    if (!result.success || !result.errors.isEmpty()) {
      JSError e = result.errors.get(0);
      int line = Math.max(1, e.getLineNumber());
      // The compiler's column counts from 1 here; the wrapper sits on the first line.
      int column = e.getCharno() - (line == 1 ? HEAD.length() : 0);
      throw new SyntaxProblem(line, column, e.getDescription());
    }
    String code = withinStack(compiler::toSource);
    return new Compiled(code, lineTable(compiler, code));
  }

  /**
   * A step of the compiler, which walks the syntax tree recursively: an expression of tens of
   * thousands of terms overflows its stack (it reports an "INTERNAL COMPILER ERROR" caused by it),
   * which is a body too deep to compile, not a failure of ours.
   */
  private static <T> T withinStack(Supplier<T> step) {
    try {
      return step.get();
    } catch (RuntimeException | StackOverflowError e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof StackOverflowError) {
          throw new SyntaxProblem(1, 1, TOO_DEEP);
        }
      }
      throw e;
    }
  }

  static final String TOO_DEEP =
      "nested too deeply to compile (an expression or statement of thousands of nested parts);"
          + " split it into shorter statements";

  /** For each line of the output, the line of the body it came from (the one before if none). */
  private static int[] lineTable(Compiler compiler, String code) {
    StringBuilder map = new StringBuilder();
    try {
      compiler.getSourceMap().appendTo(map, "body.js");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    SourceMapConsumerV3 consumer = new SourceMapConsumerV3();
    try {
      consumer.parse(map.toString());
    } catch (SourceMapParseException e) {
      throw new IllegalStateException(e);
    }
    TreeMap<Integer, Integer> firstOnLine = new TreeMap<>();
    consumer.visitMappings(
        (sourceName, symbolName, source, start, end) ->
            firstOnLine.putIfAbsent(start.getLine() + 1, source.getLine() + 1));
    int count = (int) code.chars().filter(c -> c == '\n').count() + 1;
    int[] lines = new int[count];
    int last = 1;
    for (int i = 0; i < count; i++) {
      Integer found = firstOnLine.get(i + 1);
      last = found == null ? last : found;
      lines[i] = last;
    }
    return lines;
  }

  static {
    // The compiler logs its errors through java.util.logging; they are answered, not logged.
    Logger.getLogger("com.google.javascript.jscomp").setLevel(Level.OFF);
  }
}
