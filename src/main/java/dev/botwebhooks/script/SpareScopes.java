package dev.botwebhooks.script;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.ScriptableObject;

/**
 * The next run's fresh standard objects, made ahead on a background thread while this run goes
 * on or while the hit waits on the store (README "Performance"). A run takes the spare scope when
 * one is ready and never waits for one: without a spare it makes its own in line, as before. Each
 * scope is handed to one run only, so runs stay as far apart as when each makes its own.
 */
final class SpareScopes {
  private static final ExecutorService MAKER =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread thread = new Thread(task, "script-scope-maker");
            thread.setDaemon(true);
            return thread;
          });

  private final SandboxContextFactory factory;
  private final AtomicReference<ScriptableObject> spare = new AtomicReference<>();
  private final AtomicBoolean making = new AtomicBoolean();

  SpareScopes(SandboxContextFactory factory) {
    this.factory = factory;
  }

  /**
   * A fresh scope for the run on {@code cx}: the spare if one is ready, else one made now. The
   * next spare is started after that, so that the first scopes of a process are not made on two
   * threads at once (each would link the same built-ins' lambdas, and load their classes, again).
   */
  ScriptableObject take(Context cx) {
    ScriptableObject ready = spare.getAndSet(null);
    ScriptableObject scope = ready != null ? ready : Sandbox.newScope(cx);
    refill();
    return scope;
  }

  /** Whether a spare scope is ready for the next run. */
  boolean ready() {
    return spare.get() != null;
  }

  private void refill() {
    if (spare.get() != null || !making.compareAndSet(false, true)) {
      return;
    }
    MAKER.execute(
        () -> {
          try {
            spare.set(factory.call(Sandbox::newScope));
          } catch (RuntimeException | StackOverflowError e) {
            // Left for the next run to make in line, where a failure is reported as the run's.
          } finally {
            making.set(false);
          }
        });
  }
}
