package dev.botwebhooks.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botwebhooks.config.Settings;
import dev.botwebhooks.script.RhinoScriptRuntime;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ScriptRuntimeAheadTest {
  @Test
  void theRuntimeIsBuiltOnAThreadOfItsOwn_andTheDeploymentRunsHitsOnIt() {
    AtomicReference<Thread> builder = new AtomicReference<>();
    AtomicReference<RhinoScriptRuntime> built = new AtomicReference<>();
    ScriptRuntimeAhead ahead =
        ScriptRuntimeAhead.start(
            () -> {
              builder.set(Thread.currentThread());
              built.set(new RhinoScriptRuntime(Settings.defaults().limits(), Clock.systemUTC()));
              return built.get();
            });

    Deployment deployment =
        Deployment.local(Settings.defaults(), Optional.empty(), Optional.of(ahead));

    int status =
        deployment.primeHitPath(1, PrimingHits::sendDirect);

    assertThat(status).isEqualTo(200);
    assertThat(builder.get()).isNotSameAs(Thread.currentThread());
    assertThat(builder.get().getName()).isEqualTo("script-runtime-init");
    assertThat(ahead.get()).isSameAs(built.get());
  }

  @Test
  void whatBuildingThrew_isThrownToTheRuntimesFirstUser() {
    IllegalStateException failure = new IllegalStateException("no engine");
    ScriptRuntimeAhead ahead = ScriptRuntimeAhead.start(() -> { throw failure; });

    assertThatThrownBy(ahead::get).isSameAs(failure);
  }

  @Test
  void anInterruptedWaiter_stillGetsTheRuntime_andKeepsItsInterrupt() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    RhinoScriptRuntime runtime = new RhinoScriptRuntime(Settings.defaults().limits());
    ScriptRuntimeAhead ahead =
        ScriptRuntimeAhead.start(
            () -> {
              release.await();
              return runtime;
            });
    AtomicReference<RhinoScriptRuntime> got = new AtomicReference<>();
    AtomicReference<Boolean> interrupted = new AtomicReference<>();
    Thread waiter =
        new Thread(
            () -> {
              got.set(ahead.get());
              interrupted.set(Thread.currentThread().isInterrupted());
            });
    waiter.start();
    waiter.interrupt();
    release.countDown();
    waiter.join();

    assertThat(got.get()).isSameAs(runtime);
    assertThat(interrupted.get()).isTrue();
  }
}
