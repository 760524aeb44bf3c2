package dev.botwebhooks.script;

import static dev.botwebhooks.script.ScriptArgs.absent;
import static dev.botwebhooks.script.ScriptArgs.arg;
import static dev.botwebhooks.script.ScriptArgs.field;

import dev.botwebhooks.core.Library;
import dev.botwebhooks.core.MintRequest;
import dev.botwebhooks.core.PropertyValue;
import java.util.Optional;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.Function;
import org.mozilla.javascript.LambdaFunction;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;
import org.mozilla.javascript.Undefined;

/**
 * {@code Libs}: the built-in {@code Libs.Webhooks}, which mints hooks, and the bot's own
 * libraries, each run once before the command with {@code publish({...})} and
 * {@code on("cmd", fn)} in scope (README "The script API").
 */
final class LibsNamespace {
  private final RunSession run;

  LibsNamespace(RunSession run) {
    this.run = run;
  }

  Scriptable create() {
    Scriptable scope = run.scope();
    Scriptable libs = run.cx().newObject(scope);
    HostObjects.Namespace webhooks =
        new HostObjects.Namespace(
            scope, (s, name) -> HostObjects.unavailable(s, "Libs.Webhooks." + name));
    webhooks.function("getUrlFor", 1, (c, s, t, a) -> mint(arg(a, 0), true));
    webhooks.function("getGlobalUrl", 1, (c, s, t, a) -> mint(arg(a, 0), false));
    webhooks.function("setApiKey", 1, (c, s, t, a) -> setApiKey(arg(a, 0)));
    ((ScriptableObject) libs)
        .defineProperty(
            "Webhooks", webhooks, ScriptableObject.READONLY | ScriptableObject.PERMANENT);
    return libs;
  }

  /**
   * Runs the bot's libraries, in order, before the command. As on Bots.Business, every library is
   * in {@code Libs} (an empty object until it publishes), even one that publishes nothing, such
   * as a bundled CryptoJS that defines a global, which other libraries test with
   * {@code if (!Libs.CryptoJS)}.
   */
  void load() {
    Context cx = run.cx();
    ScriptableObject scope = run.scope();
    Scriptable libs = (Scriptable) ScriptableObject.getProperty(scope, "Libs");
    for (Library lib : run.request().code().libraries()) {
      if (!"Webhooks".equals(lib.name())) {
        ScriptableObject.putProperty(libs, lib.name(), cx.newObject(scope));
      }
    }
    for (Library lib : run.request().code().libraries()) {
      Object fn =
          run.compile("lib", lib.name(), lib.version(), RunBodies.library(run.places(), lib))
              .exec(cx, scope, scope);
      if (!(fn instanceof Function f)) {
        continue;
      }
      String name = lib.name();
      run.put(
          "publish",
          new LambdaFunction(
              scope,
              "publish",
              1,
              (c, s, t, a) -> {
                Object exports = arg(a, 0);
                if (!"Webhooks".equals(name) && exports instanceof Scriptable) {
                  ScriptableObject.putProperty(libs, name, exports);
                }
                return Undefined.instance;
              }));
      run.put("on", new LambdaFunction(scope, "on", 2, (c, s, t, a) -> on(arg(a, 0), arg(a, 1))));
      f.call(cx, scope, scope, new Object[0]);
    }
    ScriptableObject.deleteProperty(scope, "publish");
  }

  private Object on(Object name, Object handler) {
    if (!(handler instanceof Function f)) {
      throw ScriptRuntime.typeError("on(name, fn): fn must be a function");
    }
    run.addHandler(run.commandText().read(name), f);
    return Undefined.instance;
  }

  /** The bot property the Bots.Business lib keeps {@code setApiKey}'s key in. */
  private static final String API_KEY_PROPERTY = "webhook_lib_api_key";

  /**
   * Keeps the key where the Bots.Business lib keeps it, a string bot property, so code that reads
   * it back finds it; minting here needs no key.
   */
  private Object setApiKey(Object key) {
    SandboxContextFactory.SandboxContext.checkCurrent();
    if (absent(key)) {
      run.host(h -> h.deleteProperty(Optional.empty(), API_KEY_PROPERTY));
    } else {
      PropertyValue value = run.properties().toProperty(key, "string");
      run.host(h -> h.setProperty(Optional.empty(), API_KEY_PROPERTY, value));
    }
    return Undefined.instance;
  }

  /**
   * Mints a hook as {@code Libs.Webhooks} does: {@code getUrlFor} for its {@code user_id} and, as
   * the Bots.Business lib makes it, for no user without one (or with a false one, {@code ''} or
   * {@code 0}); {@code getGlobalUrl} for no user.
   */
  Object mint(Object spec, boolean forUser) {
    SandboxContextFactory.SandboxContext.checkCurrent();
    if (!(spec instanceof Scriptable obj)) {
      throw ScriptRuntime.typeError("Libs.Webhooks needs an object: {command, ...}");
    }
    Object command = field(obj, "command");
    String commandText = absent(command) ? "" : run.commandText().read(command);
    Object content = field(obj, "content");
    Optional<String> contentText = Optional.empty();
    if (!absent(content)) {
      contentText = Optional.of(WebAppNamespace.contentText(content));
    }
    Optional<String> who = Optional.empty();
    Object userId = field(obj, "user_id");
    if (forUser && ScriptRuntime.toBoolean(userId)) { // the lib's test: if (!options.user_id)
      who = ScriptArgs.userIdOf(userId);
    }
    Object redirect = field(obj, "redirect_to");
    Optional<String> redirectTo =
        absent(redirect) ? Optional.empty() : Optional.of(WebAppNamespace.TEXT.read(redirect));
    Object expires = field(obj, "expires_in");
    Optional<Long> expiresIn =
        absent(expires) ? Optional.empty() : Optional.of((long) ScriptRuntime.toNumber(expires));
    MintRequest mint = new MintRequest(commandText, contentText, who, redirectTo, expiresIn);
    run.budget()
        .keep("a minted hook", commandText + contentText.orElse("") + redirectTo.orElse(""));
    return run.hostGet(h -> h.mint(mint));
  }
}
