package dev.botwebhooks.script;

import static dev.botwebhooks.script.ScriptArgs.absent;
import static dev.botwebhooks.script.ScriptArgs.field;

import dev.botwebhooks.core.HttpCall;
import dev.botwebhooks.core.PropertyType;
import dev.botwebhooks.gitimport.GitRepository;
import java.util.Map;
import java.util.Optional;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.Undefined;

/**
 * {@code Bot.importGit({branch, success, error})} (README "Importing from git"): queues the
 * download of the bot's git archive like an {@code HTTP.get}, made after the run commits; the
 * archive then replaces the bot's commands and libraries, and {@code success} runs.
 */
final class GitImportCall {
  private static final BoundedText BRANCH = BoundedText.scriptError("branch", 200);

  private final RunSession run;

  GitImportCall(RunSession run) {
    this.run = run;
  }

  Object queue(Object spec) {
    SandboxContextFactory.SandboxContext.checkCurrent();
    if (!absent(spec) && !ScriptArgs.isPlainObject(spec)) {
      throw ScriptRuntime.typeError("Bot.importGit needs an object: {branch, success}");
    }
    Scriptable obj = absent(spec) ? null : (Scriptable) spec;
    Optional<String> branch =
        obj == null || absent(field(obj, "branch"))
            ? Optional.empty()
            : Optional.of(BRANCH.read(field(obj, "branch")));
    GitRepository repository =
        run.hostGet(h -> h.getProperty(Optional.empty(), GitRepository.PROPERTY))
            .filter(v -> v.type() == PropertyType.JSON)
            .map(v -> run.hostGet(h -> GitRepository.fromJson(v.value())))
            .orElseThrow(
                () ->
                    ScriptRuntime.throwError(
                        run.cx(),
                        run.scope(),
                        "Bot.importGit: the bot has no git repository; its owner sets one with"
                            + " PUT /bots/{botId}/git"));
    String url = run.hostGet(h -> repository.archiveUrlFor(branch));
    HttpCall.Request request =
        new HttpCall.Request(
            "GET",
            url,
            Map.of(),
            null,
            true,
            command(obj, "success"),
            command(obj, "error"),
            ScriptArgs.jsonOrEmpty(spec),
            true);
    run.host(h -> h.queueHttpCall(request));
    return Undefined.instance;
  }

  private String command(Scriptable obj, String name) {
    Object value = obj == null ? null : field(obj, name);
    return absent(value) ? null : run.commandText().read(value);
  }
}
