package dev.botwebhooks.webhook;

import dev.botwebhooks.core.LimitExceededException;
import dev.botwebhooks.core.RunHost;
import dev.botwebhooks.core.RunRequest;
import dev.botwebhooks.core.RunResult;
import dev.botwebhooks.core.ScriptRuntime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A script runtime whose commands are Java functions, for testing the hit flow (commit, re-run,
 * answers) apart from the JavaScript engine, which has its own tests.
 */
final class ScriptedRuntime implements ScriptRuntime {
  interface Body {
    RunResult run(RunRequest request, RunHost host);
  }

  private final Map<String, Body> bodies = new HashMap<>();
  final AtomicInteger runs = new AtomicInteger();

  ScriptedRuntime on(String command, Body body) {
    bodies.put(command, body);
    return this;
  }

  @Override
  public RunResult run(RunRequest request, RunHost host) {
    runs.incrementAndGet();
    String name = request.message().split(" ", 2)[0];
    Body body = bodies.get(name);
    if (body == null) {
      return new RunResult.Failed("command not found: " + name, Optional.empty());
    }
    try {
      return body.run(request, host);
    } catch (LimitExceededException e) {
      return new RunResult.Failed(e.getMessage(), Optional.of(e.limit()));
    } catch (RuntimeException e) {
      return new RunResult.Failed(e.getMessage(), Optional.empty());
    }
  }
}
