package dev.botwebhooks.script;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.BotUser;
import dev.botwebhooks.core.Command;
import dev.botwebhooks.core.InvalidRequestException;
import dev.botwebhooks.core.LimitExceededException;
import dev.botwebhooks.core.Library;
import dev.botwebhooks.core.MintRequest;
import dev.botwebhooks.core.PropertyType;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.core.RunHost;
import dev.botwebhooks.core.RunRequest;
import dev.botwebhooks.core.RunResult;
import dev.botwebhooks.http.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.mozilla.javascript.Callable;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.Function;
import org.mozilla.javascript.LambdaFunction;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;
import org.mozilla.javascript.SerializableCallable;
import org.mozilla.javascript.Undefined;

/**
 * One run of a command chain: its scope, its globals and API, and what it sent. Every object a
 * script can reach is made here for this run only; identity (bot, user) comes from the trusted
 * request, never from what the script passes or rewrites.
 */
final class RunSession {
  /** Rendered pages and JSON texts kept by the host are capped at this many characters. */
  static final int MAX_TEXT_CHARS = 1 << 20;

  static final Set<String> RENDER_TYPES =
      Set.of("text/html", "application/json", "text/plain", "text/css", "text/javascript");

  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final Context cx;
  private final ScriptableObject scope;
  private final RunRequest request;
  private final RunHost host;
  private final Settings.Limits limits;
  private final CompiledScripts scripts;
  private final Optional<String> userId;

  private final List<RunResult.Output> outputs = new ArrayList<>();
  private final List<RunResult.DeferredRun> deferred = new ArrayList<>();
  private final Map<String, Function> handlers = new HashMap<>();
  private Optional<RunResult.Rendered> rendered = Optional.empty();
  private int runs;
  private int messages;
  private int depth;
  private int completed;

  /** A run ended because the command does not exist (not a limit, not a script error). */
  static final class CommandNotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CommandNotFoundException(String name) {
      super("command not found: " + name, null, false, false);
    }
  }

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
    this.limits = limits;
    this.scripts = scripts;
    this.userId = request.user().map(BotUser::id);
    this.runs = request.runsBefore();
    this.messages = request.messagesBefore();
  }

  /** Runs the chain; throws whatever ended it (the runtime turns that into a failure). */
  RunResult.Completed execute() {
    countRun();
    defineGlobals();
    loadLibraries();
    String message = request.message();
    int space = message.indexOf(' ');
    String name = space < 0 ? message : message.substring(0, space);
    String params = space < 0 ? "" : message.substring(space + 1);
    Object options = optionsValue(request.options());
    setCommandGlobals(name, params, message, options);

    Optional<Command> command = request.code().command(name);
    Optional<Command> before = request.code().command("@");
    Optional<Command> after = request.code().command("@@");
    if (command.isPresent()) {
      Command c = command.get();
      Optional<Command> first = before.filter(b -> !b.name().equals(c.name()));
      Optional<Command> last = after.filter(a -> !a.name().equals(c.name()));
      callBody("chain", c.name(), chainVersion(first, c, last), chainBody(first, c, last));
    } else if (handlers.containsKey(name)) {
      before.ifPresent(b -> callBody("command", b.name(), b.version(), b.source()));
      handlers.get(name).call(cx, scope, scope, new Object[0]);
      after.ifPresent(a -> callBody("command", a.name(), a.version(), a.source()));
    } else {
      throw new CommandNotFoundException(name);
    }
    cx.processMicrotasks();
    // A last check: a built-in may have allocated past the budget after the last jump.
    SandboxContextFactory.SandboxContext.checkCurrent();
    return new RunResult.Completed(outputs, rendered, deferred, runs, messages);
  }

  /**
   * {@code @}, the command and {@code @@} as one function body, so that they share one scope as on
   * Bots.Business: {@code @@} sees the variables of both, and runs after a top-level {@code return}
   * of the command, but not after it throws.
   */
  private static String chainBody(Optional<Command> before, Command command, Optional<Command> after) {
    String head = before.map(b -> b.source() + "\n;\n").orElse("");
    if (after.isEmpty()) {
      return head + command.source();
    }
    return head
        + "var __chainFailed = false;\ntry {\n"
        + command.source()
        + "\n} catch (__chainError) { __chainFailed = true; throw __chainError; }"
        + " finally { if (!__chainFailed) {\n"
        + after.get().source()
        + "\n} }";
  }

  /** A key part that changes whenever any of the three bodies changes. */
  private static long chainVersion(Optional<Command> before, Command command, Optional<Command> after) {
    return (command.version() * 1_000_003L + before.map(Command::version).orElse(0L)) * 1_000_003L
        + after.map(Command::version).orElse(0L);
  }

  private void callBody(String kind, String name, long version, String body) {
    Object fn =
        scripts
            .functionBody(cx, request.botId(), kind, name, version, body)
            .exec(cx, scope, scope);
    if (fn instanceof Function f) {
      f.call(cx, scope, scope, new Object[0]);
    }
  }

  // ---- globals ------------------------------------------------------------------------------

  private void defineGlobals() {
    put("content", request.content());
    put("chat", null);
    put("request", null);
    put("tgUpdate", null);
    put("completed_commands_count", 0);
    Scriptable bot = cx.newObject(scope);
    ScriptableObject.putProperty(bot, "id", request.botId());
    ScriptableObject.putProperty(bot, "name", request.botName());
    put("bot", bot);
    put("user", request.user().map(this::userValue).orElse(null));

    put("Bot", botObject());
    put("User", userObject());
    put("Libs", libsObject());
    put("WebApp", webAppObject());
    put("Api", apiObject());
    put("CryptoJS", CryptoJs.create(cx, scope));
    put("inspect", fn("inspect", 1, (c, s, t, a) -> inspect(arg(a, 0))));
    put("HTTP", HostObjects.unavailableNamespace(scope, "HTTP"));
    put("AdminPanel", HostObjects.unavailableNamespace(scope, "AdminPanel"));
    put("BBAdmin", HostObjects.unavailableNamespace(scope, "BBAdmin"));
    put("List", HostObjects.unavailable(scope, "List"));
    put("ResultBuilder", HostObjects.unavailable(scope, "ResultBuilder"));
  }

  private Object userValue(BotUser u) {
    Scriptable obj = cx.newObject(scope);
    ScriptableObject.putProperty(obj, "id", numericIfInteger(u.id()));
    ScriptableObject.putProperty(obj, "telegramid", numericIfInteger(u.telegramId()));
    ScriptableObject.putProperty(obj, "first_name", u.firstName());
    ScriptableObject.putProperty(obj, "last_name", u.lastName());
    ScriptableObject.putProperty(obj, "username", u.username());
    return obj;
  }

  /** Bots.Business ids are numbers; ids that look like safe integers are shown as numbers. */
  private static Object numericIfInteger(String id) {
    if (id != null && id.matches("-?[0-9]{1,15}")) {
      return (double) Long.parseLong(id);
    }
    return id;
  }

  private Object optionsValue(JsonNode options) {
    Object value = JsValues.fromJson(cx, scope, options);
    if (value instanceof Scriptable obj && options.path("headers").isObject()) {
      ScriptableObject.putProperty(
          obj, "headers", JsValues.headers(cx, scope, options.get("headers")));
    }
    return value == null ? cx.newObject(scope) : value;
  }

  private void setCommandGlobals(String name, String params, String message, Object options) {
    put("params", params);
    put("message", message);
    put("options", options);
    Scriptable command = cx.newObject(scope);
    ScriptableObject.putProperty(command, "name", name);
    put("command", command);
  }

  private void put(String name, Object value) {
    ScriptableObject.putProperty(scope, name, value);
  }

  private LambdaFunction fn(String name, int arity, SerializableCallable body) {
    return new LambdaFunction(scope, name, arity, body);
  }

  private static Object arg(Object[] args, int i) {
    return i < args.length ? args[i] : Undefined.instance;
  }

  private static boolean absent(Object value) {
    return value == null || value == Undefined.instance;
  }

  // ---- Bot and User -------------------------------------------------------------------------

  private Scriptable botObject() {
    HostObjects.Namespace bot =
        new HostObjects.Namespace(
            scope, (s, name) -> HostObjects.unavailable(s, "Bot." + name));
    bot.function("sendMessage", 2, (c, s, t, a) -> send(arg(a, 0), arg(a, 1)));
    bot.function("sendKeyboard", 2, (c, s, t, a) -> send(arg(a, 1), arg(a, 0)));
    bot.function("sendInlineKeyboard", 2, (c, s, t, a) -> send(arg(a, 1), arg(a, 0)));
    bot.function("inspect", 1, (c, s, t, a) -> send(inspect(arg(a, 0)), Undefined.instance));
    bot.function("runCommand", 2, (c, s, t, a) -> runCommand(arg(a, 0), arg(a, 1)));
    bot.function("run", 1, (c, s, t, a) -> runLater(arg(a, 0)));
    bot.function(
        "sendMessageToChatWithId",
        2,
        (c, s, t, a) -> {
          JsonNode params =
              Json.object()
                  .<com.fasterxml.jackson.databind.node.ObjectNode>set(
                      "chat_id", json(arg(a, 0)))
                  .put("text", messageText(arg(a, 1)));
          return record("sendMessage", params);
        });
    bot.function(
        "editInlineKeyboard",
        3,
        (c, s, t, a) -> {
          com.fasterxml.jackson.databind.node.ObjectNode params = Json.object();
          com.fasterxml.jackson.databind.node.ObjectNode markup = Json.object();
          markup.set("inline_keyboard", json(arg(a, 0)));
          params.set("reply_markup", markup);
          params.set("message_id", json(arg(a, 1)));
          if (!absent(arg(a, 2))) {
            params.set("chat_id", json(arg(a, 2)));
          }
          return record("editMessageReplyMarkup", params);
        });
    bot.defineProperty("runAll", HostObjects.unavailable(scope, "Bot.runAll"), 0);
    defineProperties(bot, () -> Optional.empty(), true);
    return bot;
  }

  private Scriptable userObject() {
    HostObjects.Namespace user =
        new HostObjects.Namespace(
            scope, (s, name) -> HostObjects.unavailable(s, "User." + name));
    defineProperties(user, this::requireUser, false);
    return user;
  }

  private Optional<String> requireUser() {
    if (userId.isEmpty()) {
      throw ScriptRuntime.throwError(
          cx, scope, "User properties need a user, and this run has none (a global hook)");
    }
    return userId;
  }

  private void defineProperties(
      HostObjects.Namespace target, Supplier<Optional<String>> owner, boolean allowUserId) {
    SerializableCallable set = (c, s, t, a) -> setProperty(a, owner, allowUserId);
    SerializableCallable get = (c, s, t, a) -> getProperty(a, owner, allowUserId);
    SerializableCallable delete = (c, s, t, a) -> deleteProperty(a, owner, allowUserId);
    target.function("setProperty", 3, set);
    target.function("setProp", 3, set);
    target.function("getProperty", 2, get);
    target.function("getProp", 2, get);
    target.function("deleteProp", 1, delete);
    target.function("deleteProperty", 1, delete);
  }

  // ---- messages -----------------------------------------------------------------------------

  private Object send(Object text, Object keyboard) {
    String body = messageText(text);
    JsonNode kb = absent(keyboard) ? null : json(keyboard);
    countMessage();
    outputs.add(new RunResult.Output.Message(body, kb));
    return Undefined.instance;
  }

  private String messageText(Object value) {
    SandboxContextFactory.SandboxContext.checkCurrent();
    String text = JsValues.boundedText(value, limits.maxMessageChars());
    if (text == null) {
      throw abort(
          "message longer than " + limits.maxMessageChars() + " characters",
          Settings.Env.MAX_MESSAGE_CHARS);
    }
    return text;
  }

  private void countMessage() {
    if (messages + 1 > limits.maxMessages()) {
      throw abort(
          "more than " + limits.maxMessages() + " messages in one hit", Settings.Env.MAX_MESSAGES);
    }
    messages++;
  }

  private Object record(String method, JsonNode params) {
    SandboxContextFactory.SandboxContext.checkCurrent();
    countMessage();
    outputs.add(new RunResult.Output.ApiCall(method, params));
    return Undefined.instance;
  }

  private Scriptable apiObject() {
    HostObjects.Namespace api =
        new HostObjects.Namespace(
            scope,
            (s, method) ->
                new LambdaFunction(
                    s, method, 1, (c, sc, t, a) -> record(method, jsonOrEmpty(arg(a, 0)))));
    api.function(
        "call",
        2,
        (c, s, t, a) -> {
          String method = messageText(arg(a, 0));
          return record(method, jsonOrEmpty(arg(a, 1)));
        });
    return api;
  }

  private JsonNode jsonOrEmpty(Object value) {
    return absent(value) ? Json.object() : json(value);
  }

  /** The value as JSON, capped; a value that cannot be JSON is a script error. */
  private JsonNode json(Object value) {
    SandboxContextFactory.SandboxContext.checkCurrent();
    try {
      JsonNode node = JsValues.toJson(value, MAX_TEXT_CHARS);
      return node == null ? Json.object().nullNode() : node;
    } catch (JsValues.NotJsonException e) {
      throw ScriptRuntime.typeError(e.getMessage());
    }
  }

  /** {@code JSON.stringify(x, null, 2)} for objects and arrays, {@code String(x)} otherwise. */
  private String inspect(Object value) {
    if (value instanceof Scriptable obj && !(value instanceof Callable)) {
      JsonNode node = json(obj);
      String text = JsonText.write(node, 2);
      if (text.length() > MAX_TEXT_CHARS) {
        throw ScriptRuntime.rangeError("inspect: text longer than " + MAX_TEXT_CHARS);
      }
      return text;
    }
    String text = JsValues.boundedText(value, MAX_TEXT_CHARS);
    if (text == null) {
      throw ScriptRuntime.rangeError("inspect: text longer than " + MAX_TEXT_CHARS);
    }
    return text;
  }

  // ---- nested and deferred runs -------------------------------------------------------------

  private void countRun() {
    if (runs + 1 > limits.maxRuns()) {
      throw abort("more than " + limits.maxRuns() + " runs in one hit", Settings.Env.MAX_RUNS);
    }
    runs++;
  }

  private Object runCommand(Object cmd, Object options) {
    SandboxContextFactory.SandboxContext.checkCurrent();
    String message = messageText(cmd);
    if (depth + 1 > limits.maxRunDepth()) {
      throw abort(
          "Bot.runCommand nested deeper than " + limits.maxRunDepth(),
          Settings.Env.MAX_RUN_DEPTH);
    }
    countRun();
    int space = message.indexOf(' ');
    String name = space < 0 ? message : message.substring(0, space);
    String params = space < 0 ? "" : message.substring(space + 1);
    Optional<Command> command = request.code().command(name);
    Function handler = handlers.get(name);
    if (command.isEmpty() && handler == null) {
      throw ScriptRuntime.throwError(cx, scope, "command not found: " + name);
    }
    Object[] saved = {
      get("options"), get("params"), get("message"), get("command")
    };
    depth++;
    try {
      setCommandGlobals(
          name, params, message, absent(options) ? cx.newObject(scope) : options);
      put("completed_commands_count", completed);
      if (command.isPresent()) {
        Command c = command.get();
        callBody("command", c.name(), c.version(), c.source());
      } else {
        handler.call(cx, scope, scope, new Object[0]);
      }
      completed++;
    } finally {
      depth--;
      put("options", saved[0]);
      put("params", saved[1]);
      put("message", saved[2]);
      put("command", saved[3]);
      put("completed_commands_count", completed);
    }
    return Undefined.instance;
  }

  private Object get(String name) {
    Object value = ScriptableObject.getProperty(scope, name);
    return value == Scriptable.NOT_FOUND ? Undefined.instance : value;
  }

  private Object runLater(Object spec) {
    SandboxContextFactory.SandboxContext.checkCurrent();
    if (!(spec instanceof Scriptable obj)) {
      throw ScriptRuntime.typeError("Bot.run needs an object: {command, options, ...}");
    }
    Object command = ScriptableObject.getProperty(obj, "command");
    if (command == Scriptable.NOT_FOUND || absent(command)) {
      throw ScriptRuntime.typeError("Bot.run: command is required");
    }
    String message = messageText(command);
    Object options = ScriptableObject.getProperty(obj, "options");
    JsonNode optionsJson =
        options == Scriptable.NOT_FOUND || absent(options) ? Json.object() : json(options);
    Optional<String> runAs = idOf(ScriptableObject.getProperty(obj, "user_id"));
    Object after = ScriptableObject.getProperty(obj, "run_after");
    double seconds =
        after == Scriptable.NOT_FOUND || absent(after) ? 0 : ScriptRuntime.toNumber(after);
    if (Double.isNaN(seconds) || seconds < 0) {
      seconds = 0;
    }
    Object label = ScriptableObject.getProperty(obj, "label");
    String labelText =
        label == Scriptable.NOT_FOUND || absent(label) ? "" : messageText(label);
    countRun();
    deferred.add(
        new RunResult.DeferredRun(
            message,
            optionsJson,
            runAs.isPresent() ? runAs : userId,
            Duration.ofMillis((long) Math.min(seconds * 1000, 3.1536e12)),
            labelText));
    return Undefined.instance;
  }

  /** A user id the script passed: a number or a string, as text; absent stays empty. */
  private Optional<String> idOf(Object value) {
    if (value == Scriptable.NOT_FOUND || absent(value)) {
      return Optional.empty();
    }
    if (value instanceof Number n) {
      double d = n.doubleValue();
      if (d == Math.rint(d) && Math.abs(d) < 9.007199254740992E15) {
        return Optional.of(Long.toString((long) d));
      }
    }
    String text = JsValues.boundedText(value, 256);
    if (text == null) {
      throw ScriptRuntime.rangeError("user_id is too long");
    }
    return Optional.of(text);
  }

  // ---- properties ---------------------------------------------------------------------------

  private Object setProperty(Object[] a, Supplier<Optional<String>> owner, boolean allowUserId) {
    SandboxContextFactory.SandboxContext.checkCurrent();
    Object nameArg = arg(a, 0);
    Object value = arg(a, 1);
    Object type = arg(a, 2);
    Optional<String> who;
    if (nameArg instanceof Scriptable obj && !(nameArg instanceof Callable)) {
      nameArg = field(obj, "name");
      value = field(obj, "value");
      type = field(obj, "type");
      who = ownerOf(obj, owner, allowUserId);
    } else {
      who = owner.get();
    }
    String name = propertyName(nameArg);
    if (absent(value)) {
      host(() -> host.deleteProperty(who, name));
      return Undefined.instance;
    }
    PropertyValue pv = toProperty(value, absent(type) ? null : messageText(type));
    host(() -> host.setProperty(who, name, pv));
    return Undefined.instance;
  }

  private Object getProperty(Object[] a, Supplier<Optional<String>> owner, boolean allowUserId) {
    SandboxContextFactory.SandboxContext.checkCurrent();
    Object nameArg = arg(a, 0);
    Object fallback = arg(a, 1);
    Optional<String> who;
    if (nameArg instanceof Scriptable obj && !(nameArg instanceof Callable)) {
      nameArg = field(obj, "name");
      Object d = field(obj, "value");
      fallback = absent(d) ? field(obj, "default") : d;
      who = ownerOf(obj, owner, allowUserId);
    } else {
      who = owner.get();
    }
    String name = propertyName(nameArg);
    Optional<PropertyValue> found = hostGet(() -> host.getProperty(who, name));
    if (found.isEmpty()) {
      return absent(fallback) ? null : fallback;
    }
    return fromProperty(found.get());
  }

  private Object deleteProperty(
      Object[] a, Supplier<Optional<String>> owner, boolean allowUserId) {
    SandboxContextFactory.SandboxContext.checkCurrent();
    Object nameArg = arg(a, 0);
    Optional<String> who;
    if (nameArg instanceof Scriptable obj && !(nameArg instanceof Callable)) {
      nameArg = field(obj, "name");
      who = ownerOf(obj, owner, allowUserId);
    } else {
      who = owner.get();
    }
    String name = propertyName(nameArg);
    host(() -> host.deleteProperty(who, name));
    return Undefined.instance;
  }

  private Optional<String> ownerOf(
      Scriptable obj, Supplier<Optional<String>> owner, boolean allowUserId) {
    if (allowUserId) {
      Optional<String> given = idOf(field(obj, "user_id"));
      if (given.isPresent()) {
        return given;
      }
    }
    return owner.get();
  }

  private static Object field(Scriptable obj, String name) {
    Object value = ScriptableObject.getProperty(obj, name);
    return value == Scriptable.NOT_FOUND ? Undefined.instance : value;
  }

  private String propertyName(Object value) {
    if (absent(value)) {
      throw ScriptRuntime.typeError("property name is required");
    }
    String name = JsValues.boundedText(value, 1024);
    if (name == null) {
      throw ScriptRuntime.rangeError("property name is too long");
    }
    return name;
  }

  private PropertyValue toProperty(Object value, String typeName) {
    PropertyType type;
    if (typeName == null) {
      type = inferType(value);
    } else {
      type =
          PropertyType.fromWireName(typeName)
              .orElseThrow(
                  () ->
                      ScriptRuntime.throwError(
                          cx,
                          scope,
                          "unknown property type '" + typeName + "' (integer, float, string, "
                              + "text, boolean, json, datetime)"));
    }
    int max = limits.maxPropertyBytes();
    switch (type) {
      case INTEGER: {
        double d = ScriptRuntime.toNumber(value);
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          throw ScriptRuntime.typeError("integer property value is not a number");
        }
        return new PropertyValue(type, JsValues.number(d < 0 ? Math.ceil(d) : Math.floor(d)));
      }
      case FLOAT: {
        double d = ScriptRuntime.toNumber(value);
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          throw ScriptRuntime.typeError("float property value is not a number");
        }
        return new PropertyValue(type, Json.MAPPER.getNodeFactory().numberNode(d));
      }
      case BOOLEAN:
        return new PropertyValue(
            type, Json.MAPPER.getNodeFactory().booleanNode(ScriptRuntime.toBoolean(value)));
      case DATETIME:
        return new PropertyValue(type, Json.MAPPER.getNodeFactory().textNode(dateText(value)));
      case JSON: {
        try {
          JsonNode node = JsValues.toJson(value, max);
          return new PropertyValue(type, node == null ? Json.object().nullNode() : node);
        } catch (JsValues.NotJsonException e) {
          if (e.getMessage().contains("characters")) {
            throw abort("property value over " + max + " bytes", Settings.Env.MAX_PROPERTY_BYTES);
          }
          throw ScriptRuntime.typeError(e.getMessage());
        }
      }
      default: {
        String text = JsValues.boundedText(value, max);
        if (text == null) {
          throw abort("property value over " + max + " bytes", Settings.Env.MAX_PROPERTY_BYTES);
        }
        return new PropertyValue(type, Json.MAPPER.getNodeFactory().textNode(text));
      }
    }
  }

  private static PropertyType inferType(Object value) {
    if (value instanceof Number n) {
      double d = n.doubleValue();
      return d == Math.rint(d) && !Double.isInfinite(d) ? PropertyType.INTEGER : PropertyType.FLOAT;
    }
    if (value instanceof Boolean) {
      return PropertyType.BOOLEAN;
    }
    if (value instanceof Scriptable s && !(value instanceof Callable)) {
      return switch (s.getClassName()) {
        case "Date" -> PropertyType.DATETIME;
        case "String" -> PropertyType.STRING;
        case "Number" -> PropertyType.FLOAT;
        case "Boolean" -> PropertyType.BOOLEAN;
        default -> PropertyType.JSON;
      };
    }
    return PropertyType.STRING;
  }

  private String dateText(Object value) {
    double millis;
    if (value instanceof Scriptable s && "Date".equals(s.getClassName())) {
      millis = ScriptRuntime.toNumber(s);
    } else if (value instanceof Number n) {
      millis = n.doubleValue();
    } else {
      String text = JsValues.boundedText(value, 64);
      if (text == null) {
        throw ScriptRuntime.rangeError("datetime text is too long");
      }
      return text;
    }
    if (Double.isNaN(millis) || Math.abs(millis) > 8.64e15) {
      throw ScriptRuntime.rangeError("Invalid Date");
    }
    return ISO.format(Instant.ofEpochMilli((long) millis));
  }

  private Object fromProperty(PropertyValue value) {
    JsonNode node = value.value();
    switch (value.type()) {
      case INTEGER:
      case FLOAT:
        return node.isNumber() ? node.doubleValue() : ScriptRuntime.toNumber(node.asText());
      case BOOLEAN:
        return node.isBoolean() ? node.booleanValue() : Boolean.parseBoolean(node.asText());
      case JSON:
        return JsValues.fromJson(cx, scope, node);
      default:
        return node.isTextual() ? node.textValue() : node.toString();
    }
  }

  // ---- Libs, WebApp -------------------------------------------------------------------------

  private Scriptable libsObject() {
    Scriptable libs = cx.newObject(scope);
    HostObjects.Namespace webhooks =
        new HostObjects.Namespace(
            scope, (s, name) -> HostObjects.unavailable(s, "Libs.Webhooks." + name));
    webhooks.function("getUrlFor", 1, (c, s, t, a) -> mint(arg(a, 0), true));
    webhooks.function("getGlobalUrl", 1, (c, s, t, a) -> mint(arg(a, 0), false));
    ((ScriptableObject) libs)
        .defineProperty(
            "Webhooks", webhooks, ScriptableObject.READONLY | ScriptableObject.PERMANENT);
    return libs;
  }

  private Object mint(Object spec, boolean forUser) {
    SandboxContextFactory.SandboxContext.checkCurrent();
    if (!(spec instanceof Scriptable obj)) {
      throw ScriptRuntime.typeError("Libs.Webhooks needs an object: {command, ...}");
    }
    Object command = field(obj, "command");
    String commandText = absent(command) ? "" : messageText(command);
    Object content = field(obj, "content");
    Optional<String> contentText = Optional.empty();
    if (!absent(content)) {
      contentText =
          Optional.of(
              content instanceof Scriptable c && !(content instanceof Callable)
                  ? JsonText.write(json(c), 0)
                  : boundedOrFail(content));
    }
    Optional<String> who = Optional.empty();
    if (forUser) {
      who = idOf(field(obj, "user_id"));
      if (who.isEmpty()) {
        who = userId;
      }
    }
    Object redirect = field(obj, "redirect_to");
    Optional<String> redirectTo =
        absent(redirect) ? Optional.empty() : Optional.of(boundedOrFail(redirect));
    Object expires = field(obj, "expires_in");
    Optional<Long> expiresIn =
        absent(expires) ? Optional.empty() : Optional.of((long) ScriptRuntime.toNumber(expires));
    MintRequest mint = new MintRequest(commandText, contentText, who, redirectTo, expiresIn);
    return hostGet(() -> host.mint(mint));
  }

  private String boundedOrFail(Object value) {
    String text = JsValues.boundedText(value, MAX_TEXT_CHARS);
    if (text == null) {
      throw ScriptRuntime.rangeError("text longer than " + MAX_TEXT_CHARS);
    }
    return text;
  }

  private Scriptable webAppObject() {
    HostObjects.Namespace webApp =
        new HostObjects.Namespace(
            scope, (s, name) -> HostObjects.unavailable(s, "WebApp." + name));
    webApp.function(
        "render",
        1,
        (c, s, t, a) -> {
          SandboxContextFactory.SandboxContext.checkCurrent();
          Object spec = arg(a, 0);
          if (!(spec instanceof Scriptable obj) || spec instanceof Callable) {
            throw ScriptRuntime.typeError("WebApp.render needs an object: {content, mime_type}");
          }
          Object mime = field(obj, "mime_type");
          String mimeType = absent(mime) ? "text/html" : boundedOrFail(mime);
          if (!RENDER_TYPES.contains(mimeType)) {
            throw ScriptRuntime.throwError(
                cx, scope, "WebApp.render: mime_type must be one of " + RENDER_TYPES);
          }
          Object content = field(obj, "content");
          String text;
          if (absent(content)) {
            text = "";
          } else if (content instanceof Scriptable cs && !(content instanceof Callable)) {
            text = JsonText.write(json(cs), 0);
          } else {
            text = boundedOrFail(content);
          }
          if (text.length() > MAX_TEXT_CHARS) {
            throw ScriptRuntime.rangeError("WebApp.render: content longer than " + MAX_TEXT_CHARS);
          }
          rendered = Optional.of(new RunResult.Rendered(text, mimeType));
          return Undefined.instance;
        });
    return webApp;
  }

  private void loadLibraries() {
    for (Library lib : request.code().libraries()) {
      Object fn =
          scripts
              .functionBody(cx, request.botId(), "lib", lib.name(), lib.version(), lib.source())
              .exec(cx, scope, scope);
      if (!(fn instanceof Function f)) {
        continue;
      }
      String name = lib.name();
      LambdaFunction publish =
          fn(
              "publish",
              1,
              (c, s, t, a) -> {
                Object exports = arg(a, 0);
                if (!"Webhooks".equals(name) && exports instanceof Scriptable) {
                  ScriptableObject.putProperty(
                      (Scriptable) ScriptableObject.getProperty(scope, "Libs"), name, exports);
                }
                return Undefined.instance;
              });
      put("publish", publish);
      put("on", fn("on", 2, (c, s, t, a) -> on(arg(a, 0), arg(a, 1))));
      f.call(cx, scope, scope, new Object[0]);
    }
    ScriptableObject.deleteProperty(scope, "publish");
  }

  private Object on(Object name, Object handler) {
    if (!(handler instanceof Function f)) {
      throw ScriptRuntime.typeError("on(name, fn): fn must be a function");
    }
    handlers.put(messageText(name), f);
    return Undefined.instance;
  }

  // ---- host calls ---------------------------------------------------------------------------

  private void host(Runnable call) {
    hostGet(
        () -> {
          call.run();
          return null;
        });
  }

  private <T> T hostGet(Supplier<T> call) {
    try {
      return call.get();
    } catch (LimitExceededException e) {
      throw abort(e.getMessage(), e.limit());
    } catch (InvalidRequestException e) {
      throw ScriptRuntime.throwError(cx, scope, e.getMessage());
    }
  }

  private static RunAbortedError abort(String message, String limit) {
    return SandboxContextFactory.SandboxContext.abortCurrent(new RunAbortedError(message, limit));
  }
}
