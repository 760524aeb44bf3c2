import java.nio.file.Files;
import java.nio.file.Path;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * A build step (pom.xml, phase {@code process-classes}, after {@code PlainLambdas} has put Rhino's
 * classes among the project's; src/rhino-patch/README.md): makes Rhino's
 * {@code NativeString.getIds} call {@code dev.botwebhooks.script.StringKeysGuard.check(string)}
 * first, so that listing a string's keys (a {@code for-in} over a string: one key per character,
 * in one Java call) is refused past a size, as {@code Object.keys} is. Fails the build when the
 * method or the field it reads is missing (another Rhino release).
 *
 * <p>Usage: {@code java -cp <compile class path> StringKeysHook <classes dir>}.
 */
public final class StringKeysHook {
  private static final String OWNER = "org/mozilla/javascript/NativeString";
  private static final String METHOD = "getIds";
  private static final String DESCRIPTOR =
      "(Lorg/mozilla/javascript/CompoundOperationMap;ZZ)[Ljava/lang/Object;";
  private static final String GUARD = "dev/botwebhooks/script/StringKeysGuard";

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: StringKeysHook <classes dir>");
      System.exit(2);
    }
    Path file = Path.of(args[0]).resolve(OWNER + ".class");
    ClassReader reader = new ClassReader(Files.readAllBytes(file));
    boolean[] field = {false};
    boolean[] hooked = {false};
    ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
    reader.accept(
        new ClassVisitor(Opcodes.ASM9, writer) {
          @Override
          public org.objectweb.asm.FieldVisitor visitField(
              int access, String name, String descriptor, String signature, Object value) {
            field[0] |= name.equals("string") && descriptor.equals("Ljava/lang/CharSequence;");
            return super.visitField(access, name, descriptor, signature, value);
          }

          @Override
          public MethodVisitor visitMethod(
              int access, String name, String descriptor, String signature, String[] exceptions) {
            MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
            if (!name.equals(METHOD) || !descriptor.equals(DESCRIPTOR)) {
              return mv;
            }
            hooked[0] = true;
            return new MethodVisitor(Opcodes.ASM9, mv) {
              @Override
              public void visitCode() {
                super.visitCode();
                super.visitVarInsn(Opcodes.ALOAD, 0);
                super.visitFieldInsn(
                    Opcodes.GETFIELD, OWNER, "string", "Ljava/lang/CharSequence;");
                super.visitMethodInsn(
                    Opcodes.INVOKESTATIC, GUARD, "check", "(Ljava/lang/CharSequence;)V", false);
              }
            };
          }
        },
        0);
    if (!field[0] || !hooked[0]) {
      throw new IllegalStateException(
          OWNER + " has no " + METHOD + DESCRIPTOR + " or no CharSequence field 'string': this"
              + " Rhino release needs the hook re-taken (src/rhino-patch/README.md)");
    }
    // PlainLambdas writes Rhino's class afresh on every build, so the call is never added twice.
    Files.write(file, writer.toByteArray());
  }
}
