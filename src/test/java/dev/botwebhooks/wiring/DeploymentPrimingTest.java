package dev.botwebhooks.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botwebhooks.config.Settings;
import dev.botwebhooks.script.RhinoScriptRuntime;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What init's priming hits exercise (README "Performance"). */
class DeploymentPrimingTest {
  @Test
  void everyOtherPrimingHit_compilesANewVersion_andTheNextFindsItCompiled() {
    RhinoScriptRuntime runtime =
        new RhinoScriptRuntime(Settings.defaults().limits(), Clock.systemUTC());
    Deployment deployment =
        Deployment.local(
            Settings.defaults(), Optional.empty(), Optional.of(ScriptRuntimeAhead.start(() -> runtime)));
    long before = runtime.compilations();

    assertThat(deployment.primeHitPath(6, PrimingHits::sendDirect)).isEqualTo(200);

    assertThat(runtime.compilations() - before).isEqualTo(3);
    assertThat(runtime.keptBodies()).as("the priming bot's compiled versions, dropped").isZero();
  }
}
