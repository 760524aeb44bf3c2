import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * A build step (pom.xml, phase {@code process-classes}, after {@code PlainLambdas} has put Rhino's
 * classes among the project's; src/rhino-patch/README.md): puts calls to the project's checks,
 * {@code dev.botwebhooks.script.RhinoHookChecks}, into Rhino's compiled classes where a loop of
 * theirs runs in Java over a size a script chose:
 *
 * <ul>
 *   <li>{@code NativeString.getIds} first checks its string ({@code stringKeys(this.string)});
 *   <li>{@code ScriptRuntime.toNumber(String)} first checks its text ({@code numberText});
 *   <li>{@code ScriptRuntime.eq}, {@code shallowEq}, {@code same}, {@code sameZero} and {@code
 *       compare(Object, Object, int)} first check their operands ({@code comparison});
 *   <li>{@code NativeDate.date_parseString} first checks its text ({@code dateText});
 *   <li>{@code NativeGlobal.js_parseInt} and {@code js_parseFloat} check the text they made
 *       from their argument ({@code numberText}, after {@code ScriptRuntime.toString});
 *   <li>{@code NativeRegExp.compileRE} first checks the pattern's nesting ({@code regExpSource}):
 *       its parser recurses once per group and once per alternative;
 *   <li>{@code NativeRegExp.js_SymbolReplaceSlow} and {@code js_SymbolSplitSlow} check the
 *       {@code length} they read from an exec result ({@code regExpResultLength}, after {@code
 *       ScriptRuntime.toLength}).
 * </ul>
 *
 * <p>Each hook must be put exactly where it is named, once per method: the build fails otherwise
 * (another Rhino release needs them re-taken). PlainLambdas writes Rhino's classes afresh on every
 * build, so no call is ever added twice.
 *
 * <p>Usage: {@code java -cp <compile class path> RhinoHooks <classes dir>}.
 */
public final class RhinoHooks {
  private static final String CHECKS = "dev/botwebhooks/script/RhinoHookChecks";
  private static final String RUNTIME = "org/mozilla/javascript/ScriptRuntime";
  private static final String STRING_CHECK = "(Ljava/lang/String;)Ljava/lang/String;";

  /** Calls to put in one method: at its entry, or after each call to one method. */
  private record Hook(
      String method, String descriptor, String after, String afterDescriptor,
      Consumer<MethodVisitor> call) {
    static Hook atEntry(String method, String descriptor, Consumer<MethodVisitor> call) {
      return new Hook(method, descriptor, null, null, call);
    }

    static Hook after(
        String method, String descriptor, String after, String afterDescriptor,
        Consumer<MethodVisitor> call) {
      return new Hook(method, descriptor, after, afterDescriptor, call);
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: RhinoHooks <classes dir>");
      System.exit(2);
    }
    Path classes = Path.of(args[0]);
    Consumer<MethodVisitor> numberText =
        mv -> mv.visitMethodInsn(Opcodes.INVOKESTATIC, CHECKS, "numberText", STRING_CHECK, false);
    Consumer<MethodVisitor> resultLength =
        mv -> mv.visitMethodInsn(Opcodes.INVOKESTATIC, CHECKS, "regExpResultLength", "(J)J", false);
    String glue = "(Lorg/mozilla/javascript/Context;Lorg/mozilla/javascript/Scriptable;"
        + "Lorg/mozilla/javascript/Scriptable;[Ljava/lang/Object;)Ljava/lang/Object;";
    hook(classes, "org/mozilla/javascript/NativeString", List.of(
        Hook.atEntry("getIds", "(Lorg/mozilla/javascript/CompoundOperationMap;ZZ)[Ljava/lang/Object;",
            mv -> {
              mv.visitVarInsn(Opcodes.ALOAD, 0);
              mv.visitFieldInsn(Opcodes.GETFIELD, "org/mozilla/javascript/NativeString", "string",
                  "Ljava/lang/CharSequence;");
              mv.visitMethodInsn(Opcodes.INVOKESTATIC, CHECKS, "stringKeys",
                  "(Ljava/lang/CharSequence;)V", false);
            })));
    Consumer<MethodVisitor> comparison = mv -> {
      mv.visitVarInsn(Opcodes.ALOAD, 0);
      mv.visitVarInsn(Opcodes.ALOAD, 1);
      mv.visitMethodInsn(Opcodes.INVOKESTATIC, CHECKS, "comparison",
          "(Ljava/lang/Object;Ljava/lang/Object;)V", false);
    };
    String twoObjects = "(Ljava/lang/Object;Ljava/lang/Object;)Z";
    hook(classes, RUNTIME, List.of(
        Hook.atEntry("toNumber", "(Ljava/lang/String;)D", mv -> {
          mv.visitVarInsn(Opcodes.ALOAD, 0);
          numberText.accept(mv);
          mv.visitInsn(Opcodes.POP);
        }),
        Hook.atEntry("eq", twoObjects, comparison),
        Hook.atEntry("shallowEq", twoObjects, comparison),
        Hook.atEntry("same", twoObjects, comparison),
        Hook.atEntry("sameZero", twoObjects, comparison),
        Hook.atEntry("compare", "(Ljava/lang/Object;Ljava/lang/Object;I)Z", comparison)));
    Consumer<MethodVisitor> dateText = mv -> {
      mv.visitVarInsn(Opcodes.ALOAD, 1);
      mv.visitMethodInsn(Opcodes.INVOKESTATIC, CHECKS, "dateText", "(Ljava/lang/String;)V", false);
    };
    String parse = "(Lorg/mozilla/javascript/Context;Ljava/lang/String;)D";
    hook(classes, "org/mozilla/javascript/NativeDate", List.of(
        Hook.atEntry("date_parseString", parse, dateText)));
    hook(classes, "org/mozilla/javascript/NativeGlobal", List.of(
        Hook.after("js_parseInt", glue, "toString", "([Ljava/lang/Object;I)Ljava/lang/String;",
            numberText),
        Hook.after("js_parseFloat", glue, "toString", "(Ljava/lang/Object;)Ljava/lang/String;",
            numberText)));
    String slowReplace = glue;
    String slowSplit = "(Lorg/mozilla/javascript/Context;Lorg/mozilla/javascript/Scriptable;"
        + "Lorg/mozilla/javascript/Scriptable;Ljava/lang/String;JZ"
        + "Lorg/mozilla/javascript/NativeArray;)Ljava/lang/Object;";
    hook(classes, "org/mozilla/javascript/regexp/NativeRegExp", List.of(
        Hook.atEntry("compileRE", "(Lorg/mozilla/javascript/Context;Ljava/lang/String;"
            + "Ljava/lang/String;Z)Lorg/mozilla/javascript/regexp/RECompiled;", mv -> {
              mv.visitVarInsn(Opcodes.ALOAD, 1);
              mv.visitVarInsn(Opcodes.ILOAD, 3);
              mv.visitMethodInsn(Opcodes.INVOKESTATIC, CHECKS, "regExpSource",
                  "(Ljava/lang/String;Z)V", false);
            }),
        Hook.after("js_SymbolReplaceSlow", slowReplace, "toLength", "(Ljava/lang/Object;)J",
            resultLength),
        Hook.after("js_SymbolSplitSlow", slowSplit, "toLength", "(Ljava/lang/Object;)J",
            resultLength)));
  }

  /** Rewrites one class with its hooks; fails unless each is put exactly once. */
  private static void hook(Path classes, String owner, List<Hook> hooks) throws Exception {
    Path file = classes.resolve(owner + ".class");
    ClassReader reader = new ClassReader(Files.readAllBytes(file));
    int[] put = new int[hooks.size()];
    ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
    reader.accept(
        new ClassVisitor(Opcodes.ASM9, writer) {
          @Override
          public MethodVisitor visitMethod(
              int access, String name, String descriptor, String signature, String[] exceptions) {
            MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
            for (int i = 0; i < hooks.size(); i++) {
              Hook h = hooks.get(i);
              if (h.method().equals(name) && h.descriptor().equals(descriptor)) {
                return hooked(mv, h, put, i);
              }
            }
            return mv;
          }
        },
        0);
    for (int i = 0; i < hooks.size(); i++) {
      if (put[i] != 1) {
        throw new IllegalStateException(
            owner + "." + hooks.get(i).method() + hooks.get(i).descriptor() + " took the hook "
                + put[i] + " times, not once: this Rhino release needs the hooks re-taken"
                + " (src/rhino-patch/README.md)");
      }
    }
    Files.write(file, writer.toByteArray());
  }

  private static MethodVisitor hooked(MethodVisitor mv, Hook h, int[] put, int i) {
    return new MethodVisitor(Opcodes.ASM9, mv) {
      @Override
      public void visitCode() {
        super.visitCode();
        if (h.after() == null) {
          h.call().accept(mv);
          put[i]++;
        }
      }

      @Override
      public void visitMethodInsn(
          int opcode, String owner, String name, String descriptor, boolean isInterface) {
        super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        if (h.after() != null && opcode == Opcodes.INVOKESTATIC && owner.equals(RUNTIME)
            && name.equals(h.after()) && descriptor.equals(h.afterDescriptor())) {
          h.call().accept(mv);
          put[i]++;
        }
      }
    };
  }
}
