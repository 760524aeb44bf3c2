package dev.botwebhooks.script;

import static dev.botwebhooks.script.BuiltinGuards.MAX_ARRAY_LENGTH;
import static dev.botwebhooks.script.BuiltinGuards.refuse;

/**
 * Called by Rhino's {@code NativeString.getIds} before it lists a string's keys (the call is put
 * there at build time by {@code src/build/StringKeysHook.java}; src/rhino-patch/README.md). Rhino
 * makes one key per character in one Java call, with no instruction counted: a {@code for-in}
 * over a string of 2^25 characters took 0.5 to 1.1 s and allocated about 660 MB past every
 * deadline check. A string with more keys than a generic Array method may walk is refused, as
 * {@code Object.keys} refuses it (README "Native work and the deadline").
 */
public final class StringKeysGuard {
  private StringKeysGuard() {}

  public static void check(CharSequence string) {
    if (string.length() > MAX_ARRAY_LENGTH) {
      throw refuse(
          "listing the keys of a string of " + string.length() + " characters (more than "
              + MAX_ARRAY_LENGTH + ", as a for-in loop does)");
    }
  }
}
