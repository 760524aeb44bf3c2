import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.LambdaMetafactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * A build step (pom.xml, phase {@code process-classes}; README "Performance", section "What a
 * cold start costs"): puts Rhino's classes among the project's compiled classes with every
 * serializable lambda made a plain one, and does the same to the project's own classes.
 *
 * <p>Rhino's built-in functions are serializable lambdas ({@code LambdaMetafactory.altMetafactory}
 * with {@code FLAG_SERIALIZABLE}): the JVM spins a class for each when it is first made, about 460
 * of them before a run's first scope exists, and no class cache (CDS, the AOT cache) keeps the
 * classes of serializable lambdas. Made plain ({@code LambdaMetafactory.metafactory}, the same
 * interface, method and types), they behave the same, are no longer serializable (nothing here
 * serializes a script's objects), and a class cache keeps them.
 *
 * <p>Usage: {@code java -cp <compile class path> PlainLambdas <classes dir> <patch sources dir>}.
 * Rhino's jar is the class path's jar holding {@code org/mozilla/javascript/Context.class}; its
 * classes are written to the classes dir (the shaded jar then takes Rhino from there, and so do
 * the tests, which put the classes dir first), except those the project patches itself (the
 * {@code .java} files under the patch sources dir, src/rhino-patch/java) and the jar's manifest;
 * files under Rhino's packages that the jar does not have (left by a build on another Rhino
 * release) are removed.
 */
public final class PlainLambdas {
  private static final String LAMBDA_METAFACTORY = "java/lang/invoke/LambdaMetafactory";
  private static final Handle METAFACTORY =
      new Handle(
          Opcodes.H_INVOKESTATIC,
          LAMBDA_METAFACTORY,
          "metafactory",
          "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;"
              + "Ljava/lang/invoke/MethodType;Ljava/lang/invoke/MethodHandle;"
              + "Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/CallSite;",
          false);
  private static final byte[] ALT_METAFACTORY = "altMetafactory".getBytes(StandardCharsets.UTF_8);

  private int sites;

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: PlainLambdas <classes dir> <patch sources dir>");
      System.exit(2);
    }
    Path out = Path.of(args[0]);
    Set<String> patched = patchedClasses(Path.of(args[1]));
    PlainLambdas plain = new PlainLambdas();
    Path rhino = rhinoJar();
    Set<String> fromRhino = new HashSet<>();
    try (ZipFile jar = new ZipFile(rhino.toFile())) {
      for (Enumeration<? extends ZipEntry> e = jar.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        String name = entry.getName();
        fromRhino.add(name);
        if (entry.isDirectory()
            || name.equals("META-INF/MANIFEST.MF")
            || name.endsWith("module-info.class")
            || patched.contains(topLevelClass(name))) {
          continue;
        }
        byte[] bytes;
        try (InputStream in = jar.getInputStream(entry)) {
          bytes = in.readAllBytes();
        }
        Path target = out.resolve(name);
        Files.createDirectories(target.getParent());
        Files.write(target, name.endsWith(".class") ? plain.rewrite(bytes) : bytes);
      }
    }
    removeStale(out, fromRhino, patched);
    List<Path> own;
    try (Stream<Path> files = Files.walk(out)) {
      own = files.filter(p -> p.toString().endsWith(".class")).toList();
    }
    for (Path file : own) {
      byte[] bytes = Files.readAllBytes(file);
      byte[] rewritten = plain.rewrite(bytes);
      if (rewritten != bytes) {
        Files.write(file, rewritten);
      }
    }
  }

  /**
   * Removes the files under Rhino's packages in the classes dir that Rhino's jar no longer has and
   * the project does not patch: left by an earlier build on another Rhino release.
   */
  private static void removeStale(Path out, Set<String> fromRhino, Set<String> patched)
      throws IOException {
    Path rhinoPackages = out.resolve("org/mozilla");
    if (!Files.isDirectory(rhinoPackages)) {
      return;
    }
    List<Path> stale;
    try (Stream<Path> files = Files.walk(rhinoPackages)) {
      stale =
          files
              .filter(Files::isRegularFile)
              .filter(
                  p -> {
                    String name = out.relativize(p).toString().replace('\\', '/');
                    return !fromRhino.contains(name) && !patched.contains(topLevelClass(name));
                  })
              .toList();
    }
    for (Path file : stale) {
      Files.delete(file);
    }
  }

  /** Rhino's jar: the class path's jar that holds {@code Context}. */
  private static Path rhinoJar() throws IOException {
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (entry.endsWith(".jar")) {
        try (ZipFile jar = new ZipFile(entry)) {
          if (jar.getEntry("org/mozilla/javascript/Context.class") != null) {
            return Path.of(entry);
          }
        }
      }
    }
    throw new IllegalStateException("no jar with org/mozilla/javascript/Context.class on the class path");
  }

  /** The class files' names (without inner classes' suffixes) of the patch sources. */
  private static Set<String> patchedClasses(Path sources) throws IOException {
    try (Stream<Path> files = Files.walk(sources)) {
      return files
          .filter(p -> p.toString().endsWith(".java"))
          .map(p -> sources.relativize(p).toString().replace('\\', '/'))
          .map(p -> p.substring(0, p.length() - ".java".length()))
          .collect(Collectors.toSet());
    }
  }

  /** {@code a/b/C$D.class} to {@code a/b/C}; other names unchanged. */
  private static String topLevelClass(String entry) {
    if (!entry.endsWith(".class")) {
      return entry;
    }
    String name = entry.substring(0, entry.length() - ".class".length());
    int inner = name.indexOf('$', name.lastIndexOf('/') + 1);
    return inner < 0 ? name : name.substring(0, inner);
  }

  /** The class with its serializable lambdas made plain; the same array when it has none. */
  byte[] rewrite(byte[] bytes) {
    if (!contains(bytes, ALT_METAFACTORY)) {
      return bytes;
    }
    int before = sites;
    ClassReader reader = new ClassReader(bytes);
    // A new constant pool: the old one would keep altMetafactory's handle, unused.
    ClassWriter writer = new ClassWriter(0);
    reader.accept(
        new ClassVisitor(Opcodes.ASM9, writer) {
          @Override
          public MethodVisitor visitMethod(
              int access, String name, String descriptor, String signature, String[] exceptions) {
            return new MethodVisitor(
                Opcodes.ASM9, super.visitMethod(access, name, descriptor, signature, exceptions)) {
              @Override
              public void visitInvokeDynamicInsn(
                  String name, String descriptor, Handle bootstrap, Object... arguments) {
                if (plainable(bootstrap, arguments)) {
                  sites++;
                  super.visitInvokeDynamicInsn(
                      name, descriptor, METAFACTORY, arguments[0], arguments[1], arguments[2]);
                } else {
                  super.visitInvokeDynamicInsn(name, descriptor, bootstrap, arguments);
                }
              }
            };
          }
        },
        0);
    if (sites == before) {
      return bytes;
    }
    return writer.toByteArray();
  }

  /**
   * An {@code altMetafactory} call site that asks for nothing but serializability: no marker
   * interface and no bridge method, which a plain lambda could not have.
   */
  static boolean plainable(Handle bootstrap, Object[] arguments) {
    if (!bootstrap.getOwner().equals(LAMBDA_METAFACTORY)
        || !bootstrap.getName().equals("altMetafactory")) {
      return false;
    }
    int flags = (Integer) arguments[3];
    if ((flags & LambdaMetafactory.FLAG_SERIALIZABLE) == 0) {
      return false;
    }
    int next = 4;
    for (int flag : new int[] {LambdaMetafactory.FLAG_MARKERS, LambdaMetafactory.FLAG_BRIDGES}) {
      if ((flags & flag) != 0) {
        if ((Integer) arguments[next] != 0) {
          return false;
        }
        next++;
      }
    }
    return arguments.length == next;
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
