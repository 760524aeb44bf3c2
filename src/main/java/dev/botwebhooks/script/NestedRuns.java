package dev.botwebhooks.script;

import static dev.botwebhooks.script.ScriptArgs.absent;
import static dev.botwebhooks.script.ScriptArgs.field;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.core.Command;
import dev.botwebhooks.core.RunHost;
import dev.botwebhooks.core.RunResult;
import dev.botwebhooks.json.Json;
import java.time.Duration;
import java.util.Optional;
import org.mozilla.javascript.Function;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.Undefined;

/**
 * {@code Bot.runCommand}, which runs another command now, nested in this run's scope, and
 * {@code Bot.run}, which asks for a run after this chain commits (README "Choices where the
 * contract left room").
 */
final class NestedRuns {
  private static final BoundedText LABEL = BoundedText.scriptError("Bot.run label", 1024);

  private final RunSession run;
  private int completed;
  private int depth;

  /**
   * {@code completed} is the run's {@code completed_commands_count} before any nested run. A
   * nested command sees the commands completed so far plus its callers, so it is never 0 there:
   * Bots.Business's guard {@code if(completed_commands_count==0){ return }} lets a command run
   * only from another command (README "The script API").
   */
  NestedRuns(RunSession run, int completed) {
    this.run = run;
    this.completed = completed;
  }

  Object runCommand(Object cmd, Object options) {
    SandboxContextFactory.SandboxContext.checkCurrent();
    String message = run.commandText().read(cmd);
    run.budget().checkDepth();
    run.budget().countRun();
    Optional<CommandLookup.Found> lookup = run.lookup(message);
    if (lookup.isEmpty()) {
      throw ScriptRuntime.throwError(
          run.cx(), run.scope(), "command not found: " + CommandLookup.firstWord(message));
    }
    CommandLookup.Found found = lookup.get();
    Object[] saved = {get("options"), get("params"), get("message"), get("command")};
    run.budget().enterNested();
    depth++;
    try {
      run.setCommandGlobals(
          message, found, absent(options) ? run.cx().newObject(run.scope()) : options);
      run.put("completed_commands_count", completed + depth);
      if (found.command().isPresent()) {
        Command c = found.command().get();
        run.sendAnswer(c);
        run.callCommand(c);
      } else {
        found.handler().call(run.cx(), run.scope(), run.scope(), new Object[0]);
      }
      completed++;
    } finally {
      depth--;
      run.budget().leaveNested();
      run.put("options", saved[0]);
      run.put("params", saved[1]);
      run.put("message", saved[2]);
      run.put("command", saved[3]);
      run.put("completed_commands_count", completed + depth);
    }
    return Undefined.instance;
  }

  Object runLater(Object spec) {
    SandboxContextFactory.SandboxContext.checkCurrent();
    if (!(spec instanceof Scriptable obj)) {
      throw ScriptRuntime.typeError("Bot.run needs an object: {command, options, ...}");
    }
    Object command = field(obj, "command");
    if (absent(command)) {
      throw ScriptRuntime.typeError("Bot.run: command is required");
    }
    String message = run.commandText().read(command);
    Object options = field(obj, "options");
    JsonNode optionsJson = absent(options) ? Json.object() : ScriptArgs.json(options);
    Optional<String> runAs = ScriptArgs.userIdOf(field(obj, "user_id"));
    if (runAs.isEmpty()) {
      requireOwnTelegramId(ScriptArgs.idOf(field(obj, "user_telegramid")));
    }
    Object after = field(obj, "run_after");
    double seconds = absent(after) ? 0 : ScriptRuntime.toNumber(after);
    if (Double.isNaN(seconds) || seconds < 0) {
      seconds = 0;
    }
    Object label = field(obj, "label");
    String labelText = absent(label) ? "" : LABEL.read(label);
    run.budget().countRun();
    run.host(RunHost::keepRun);
    run.budget().keep("a Bot.run", message + labelText);
    run.budget().keep("a Bot.run", optionsJson);
    run.defer(
        new RunResult.DeferredRun(
            message,
            optionsJson,
            runAs.isPresent() ? runAs : run.userId(),
            Duration.ofMillis((long) Math.min(seconds * 1000, 3.1536e12)),
            labelText));
    return Undefined.instance;
  }

  private Object get(String name) {
    return field(run.scope(), name);
  }

  /**
   * {@code user_telegramid} runs the command for the user with that Telegram id on Bots.Business;
   * users here are found by id only, so it is honoured when it is the run's own user (as a WebApp
   * passes it) and refused otherwise, rather than running for the wrong user.
   */
  private void requireOwnTelegramId(Optional<String> telegramId) {
    if (telegramId.isEmpty()) {
      return;
    }
    boolean own =
        run.request().user().map(u -> telegramId.get().equals(u.telegramId())).orElse(false);
    if (!own) {
      throw ScriptRuntime.throwError(run.cx(), run.scope(),
          "Bot.run: user_telegramid " + telegramId.get()
              + " is not the run's user; name another user with user_id");
    }
  }
}
