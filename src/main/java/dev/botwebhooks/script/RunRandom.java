package dev.botwebhooks.script;

import java.security.SecureRandom;
import java.util.SplittableRandom;
import org.mozilla.javascript.LambdaFunction;
import org.mozilla.javascript.ScriptableObject;

/**
 * {@code Math.random} from a generator of the run's own, seeded from {@link SecureRandom} when the
 * run first calls it. Rhino's calls {@code java.lang.Math.random}, one {@code java.util.Random} for
 * the whole JVM: a run could recover its 48-bit state from one number and predict the numbers the
 * next runs of every other bot get (a draw, a code), and a state made before a SnapStart snapshot
 * would repeat in every environment resumed from it.
 */
final class RunRandom {
  private static final SecureRandom SEEDS = new SecureRandom();

  private RunRandom() {}

  static void install(ScriptableObject scope) {
    ScriptableObject math = (ScriptableObject) ScriptableObject.getProperty(scope, "Math");
    SplittableRandom[] own = new SplittableRandom[1];
    math.defineProperty(
        "random",
        new LambdaFunction(
            scope,
            "random",
            0,
            (cx, s, thisObj, args) -> {
              if (own[0] == null) {
                own[0] = new SplittableRandom(SEEDS.nextLong());
              }
              return own[0].nextDouble();
            }),
        ScriptableObject.DONTENUM);
  }
}
