package dev.botwebhooks.script;

import static dev.botwebhooks.script.ScriptArgs.arg;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.Command;
import dev.botwebhooks.core.CommandHeader;
import dev.botwebhooks.core.HttpReply;
import dev.botwebhooks.core.InvalidRequestException;
import dev.botwebhooks.core.LimitExceededException;
import dev.botwebhooks.core.RunHost;
import dev.botwebhooks.core.RunRequest;
import dev.botwebhooks.core.RunResult;
import dev.botwebhooks.core.StoreUnavailableException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.LambdaFunction;
import org.mozilla.javascript.Script;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;
import org.mozilla.javascript.Undefined;

/**
 * One run of a command chain: its scope, its state (what it sent, rendered and deferred, its
 * budget) and the globals it starts with. Each script namespace is its own class, made here for
 * this run only; identity (bot, user) comes from the trusted request, never from what the script
 * passes or rewrites.
 */
final class RunSession {
  private final Context cx;
  private final ScriptableObject scope;
  private final RunRequest request;
  private final RunHost host;
  private final CompiledScripts scripts;
  private final Optional<String> userId;
  private final RunBudget budget;
  private final PropertyCodec properties;
  private final BoundedText messageText;
  private final BoundedText commandText;
  private final SourcePlaces places = new SourcePlaces();
  private final Messages messages = new Messages(this);

  private final List<RunResult.Output> outputs = new ArrayList<>();
  private final List<RunResult.DeferredRun> deferred = new ArrayList<>();
  private final Map<String, org.mozilla.javascript.Function> handlers = new HashMap<>();
  private Optional<RunResult.Rendered> rendered = Optional.empty();

  RunSession(
      Context cx,
      ScriptableObject scope,
      RunRequest request,
      RunHost host,
      Settings.Limits limits,
      CompiledScripts scripts) {
    this.cx = cx;
    this.scope = scope;
    this.request = request;
    this.host = host;
    this.scripts = scripts;
    this.userId = request.user().map(u -> u.id());
    this.budget = new RunBudget(limits, request.runsBefore(), request.messagesBefore());
    this.properties = new PropertyCodec(cx, scope, limits.maxPropertyBytes());
    this.messageText =
        BoundedText.limit("message", limits.maxMessageChars(), Settings.Env.MAX_MESSAGE_CHARS);
    this.commandText =
        BoundedText.limit("command", limits.maxMessageChars(), Settings.Env.MAX_MESSAGE_CHARS);
  }

  /** Runs the chain; throws whatever ended it (the runtime turns that into a failure). */
  RunResult.Completed execute() {
    if (!request.byCommand()) {
      // A run another command started was counted when it was asked for (Bot.run), or starts a
      // chain of its own (an outbound call's callback): each run counts once in MAX_RUNS.
      budget.countRun();
    }
    LibsNamespace libs = new LibsNamespace(this);
    defineGlobals(libs);
    libs.load();
    String message = request.message();
    CommandLookup.Found found =
        CommandLookup.find(request.code(), handlers, message)
            .orElseThrow(() -> new CommandNotFoundException(CommandLookup.firstWord(message)));
    setCommandGlobals(message, found, optionsValue(request.options()));

    Optional<Command> before = request.code().command("@");
    Optional<Command> after = request.code().command("@@");
    if (found.command().isPresent()) {
      Command c = found.command().get();
      requireCode(c);
      sendAnswer(c);
      Optional<Command> first = before.filter(b -> !b.name().equals(c.name()));
      Optional<Command> last = after.filter(a -> !a.name().equals(c.name()));
      callBody(
          "chain",
          c.name(),
          RunBodies.chainVersion(first, c, last),
          RunBodies.chain(places, first, c, last));
    } else {
      before.ifPresent(this::callCommand);
      found.handler().call(cx, scope, scope, new Object[0]);
      after.ifPresent(this::callCommand);
    }
    cx.processMicrotasks();
    // A last check: a built-in may have allocated past the budget after the last jump.
    SandboxContextFactory.SandboxContext.checkCurrent();
    return new RunResult.Completed(outputs, rendered, deferred, budget.runs(), budget.messages());
  }

  // ---- globals ------------------------------------------------------------------------------

  private void defineGlobals(LibsNamespace libs) {
    put("content", request.content());
    put("chat", UserNamespace.chatValue(this));
    put("request", null);
    put("tgUpdate", null);
    put("completed_commands_count", request.byCommand() ? 1 : 0);
    Scriptable bot = cx.newObject(scope);
    ScriptableObject.putProperty(bot, "id", request.botId());
    ScriptableObject.putProperty(bot, "name", request.botName());
    put("bot", bot);
    put("user", UserNamespace.userValue(this));

    put("Bot", BotNamespace.create(this, messages, new NestedRuns(this, request.byCommand() ? 1 : 0)));
    put("User", UserNamespace.create(this));
    put("Libs", libs.create());
    put("WebApp", new WebAppNamespace(this, libs).create());
    put("Api", messages.apiNamespace());
    put("CryptoJS", CryptoJs.create(cx, scope));
    put(
        "inspect",
        new LambdaFunction(scope, "inspect", 1, (c, s, t, a) -> Messages.inspect(arg(a, 0))));
    put("HTTP", new HttpNamespace(this).create());
    // Outside an outbound call's callback they are declared and undefined, as on Bots.Business,
    // whose libraries read them in any run (Coinbase's notification handler reads http_status).
    request.reply().ifPresentOrElse(this::defineReply, () -> {
      put("http_status", Undefined.instance);
      put("http_headers", Undefined.instance);
      put("cookies", Undefined.instance);
    });
    put("AdminPanel", new AdminPanelNamespace(this).create());
    put("BBAdmin", HostObjects.unavailableNamespace(scope, "BBAdmin"));
    put("List", HostObjects.unavailable(scope, "List"));
    put("ResultBuilder", HostObjects.unavailable(scope, "ResultBuilder"));
  }

  /** What the callback of an outbound call sees: README "Outbound HTTP calls". */
  private void defineReply(HttpReply reply) {
    put("http_status", reply.status());
    Scriptable headers = cx.newObject(scope);
    reply.headers().forEach((name, value) -> ScriptableObject.putProperty(headers, name, value));
    put("http_headers", headers);
    put("cookies", reply.cookies());
  }

  private Object optionsValue(JsonNode options) {
    Object value = JsValues.fromJson(cx, scope, options);
    if (value instanceof Scriptable obj && options.path("headers").isObject()) {
      ScriptableObject.putProperty(
          obj, "headers", JsValues.headers(cx, scope, options.get("headers")));
    }
    return value == null ? cx.newObject(scope) : value;
  }

  /**
   * {@code params}, {@code message}, {@code options} and {@code command} for a command string;
   * {@code command} holds its name and, as on Bots.Business, the values of the command's header
   * ({@code folder}, {@code help}, {@code answer}, {@code keyboard}, {@code group} as text,
   * {@code aliases} as an array, {@code need_reply} as a boolean), those it has.
   */
  void setCommandGlobals(String message, CommandLookup.Found found, Object options) {
    put("params", found.params());
    put("message", message);
    put("options", options);
    Scriptable command = cx.newObject(scope);
    ScriptableObject.putProperty(command, "name", found.name());
    found.command().ifPresent(c -> putHeader(command, CommandHeader.ofStored(c.source())));
    put("command", command);
  }

  private static final List<String> HEADER_TEXTS =
      List.of("folder", "help", "answer", "keyboard", "group");

  private void putHeader(Scriptable command, CommandHeader header) {
    for (String key : HEADER_TEXTS) {
      String value = header.values().get(key);
      if (value != null) {
        ScriptableObject.putProperty(command, key, value);
      }
    }
    if (header.values().containsKey("aliases")) {
      ScriptableObject.putProperty(
          command, "aliases", cx.newArray(scope, header.aliases().toArray()));
    }
    String needReply = header.values().get("need_reply");
    if (needReply != null) {
      ScriptableObject.putProperty(command, "need_reply", "true".equalsIgnoreCase(needReply));
    }
  }

  void put(String name, Object value) {
    ScriptableObject.putProperty(scope, name, value);
  }

  /** Compiles (or takes from the cache) a body of this bot. */
  Script compile(String kind, String name, long version, String body) {
    return scripts.functionBody(cx, request.botId(), kind, name, version, body);
  }

  /**
   * The header's {@code answer:}, with its {@code keyboard:}, sent as Bots.Business sends it when
   * the command runs, before its code ({@code @} and {@code @@} send none).
   */
  void sendAnswer(Command c) {
    CommandHeader header = CommandHeader.ofStored(c.source());
    Object keyboard = header.keyboard().<Object>map(k -> k).orElse(Undefined.instance);
    header.answer().ifPresent(a -> messages.send(a, keyboard));
  }

  /** A WebApp template is text for WebApp.render, never run (README "Transpiling at upload"). */
  private void requireCode(Command c) {
    if (c.isTemplate()) {
      throw ScriptRuntime.throwError(cx, scope, "'" + c.name()
          + "' is a WebApp template, not a command: WebApp.render({ template }) renders it");
    }
  }

  /** Runs one command's body on its own (nested, or around a library's handler). */
  void callCommand(Command c) {
    requireCode(c);
    callBody("command", c.name(), c.version(), RunBodies.command(places, c));
  }

  /** Where a line of a compiled body is in the bot's files. */
  SourcePlaces places() {
    return places;
  }

  private void callBody(String kind, String name, long version, String body) {
    Object fn = compile(kind, name, version, body).exec(cx, scope, scope);
    if (fn instanceof org.mozilla.javascript.Function f) {
      f.call(cx, scope, scope, new Object[0]);
    }
  }

  // ---- the run's state, for its namespaces --------------------------------------------------

  Context cx() {
    return cx;
  }

  ScriptableObject scope() {
    return scope;
  }

  RunRequest request() {
    return request;
  }

  /** The hook's user; empty for a global hook. */
  Optional<String> userId() {
    return userId;
  }

  RunBudget budget() {
    return budget;
  }

  PropertyCodec properties() {
    return properties;
  }

  /** The text of a message, within {@code MAX_MESSAGE_CHARS}. */
  BoundedText messageText() {
    return messageText;
  }

  /** A command string (name and params), as long as a message may be. */
  BoundedText commandText() {
    return commandText;
  }

  void output(RunResult.Output output) {
    outputs.add(output);
  }

  void defer(RunResult.DeferredRun run) {
    deferred.add(run);
  }

  void render(RunResult.Rendered page) {
    rendered = Optional.of(page);
  }

  void addHandler(String name, org.mozilla.javascript.Function handler) {
    handlers.put(name, handler);
  }

  /** What a command string runs: a command, a library's handler or the master command. */
  Optional<CommandLookup.Found> lookup(String message) {
    return CommandLookup.find(request.code(), handlers, message);
  }

  // ---- host calls ---------------------------------------------------------------------------

  void host(Consumer<RunHost> call) {
    hostGet(
        h -> {
          call.accept(h);
          return null;
        });
  }

  /**
   * A call to the host. A crossed limit or a store failure ends the run through the same abort as
   * the deadline, which no script code can catch; a refused argument is a script error.
   */
  <T> T hostGet(Function<RunHost, T> call) {
    try {
      return call.apply(host);
    } catch (LimitExceededException e) {
      throw ScriptArgs.abort(e.getMessage(), e.limit());
    } catch (StoreUnavailableException e) {
      throw SandboxContextFactory.SandboxContext.abortCurrent(
          RunAbortedError.storeUnavailable(e.getMessage()));
    } catch (InvalidRequestException e) {
      throw ScriptRuntime.throwError(cx, scope, e.getMessage());
    }
  }
}
