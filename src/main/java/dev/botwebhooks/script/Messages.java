package dev.botwebhooks.script;

import static dev.botwebhooks.script.ScriptArgs.MAX_TEXT_CHARS;
import static dev.botwebhooks.script.ScriptArgs.absent;
import static dev.botwebhooks.script.ScriptArgs.arg;
import static dev.botwebhooks.script.ScriptArgs.json;
import static dev.botwebhooks.script.ScriptArgs.jsonOrEmpty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.core.RunResult;
import dev.botwebhooks.json.Json;
import org.mozilla.javascript.LambdaFunction;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.Undefined;

/**
 * What a run sends: {@code Bot.sendMessage} and the keyboards, {@code inspect}, and the
 * {@code Api} namespace, whose Telegram calls are recorded in the outbox, not executed (README
 * "The script API"). Every one counts towards {@code MAX_MESSAGES}.
 */
final class Messages {
  private static final BoundedText API_METHOD = BoundedText.scriptError("Api method name", 256);
  private static final BoundedText INSPECTED =
      BoundedText.scriptError("inspect: text", MAX_TEXT_CHARS);

  private final RunSession run;

  Messages(RunSession run) {
    this.run = run;
  }

  /** A message with an optional keyboard (or the options passed as second argument). */
  Object send(Object text, Object keyboard) {
    String body = run.messageText().read(text);
    JsonNode kb = absent(keyboard) ? null : json(keyboard);
    run.budget().countMessage();
    run.budget().keep("a message", body);
    run.budget().keep("a keyboard", kb);
    run.output(new RunResult.Output.Message(body, kb));
    return Undefined.instance;
  }

  /** {@code Bot.sendMessageToChatWithId(chatId, text)}, recorded as a Telegram call. */
  Object sendToChat(Object chatId, Object text) {
    ObjectNode params = Json.object();
    params.set("chat_id", json(chatId));
    params.put("text", run.messageText().read(text));
    return record("sendMessage", params);
  }

  /** {@code Bot.editInlineKeyboard(buttons, messageId[, chatId])}, recorded as a Telegram call. */
  Object editInlineKeyboard(Object buttons, Object messageId, Object chatId) {
    ObjectNode params = Json.object();
    ObjectNode markup = Json.object();
    markup.set("inline_keyboard", json(buttons));
    params.set("reply_markup", markup);
    params.set("message_id", json(messageId));
    if (!absent(chatId)) {
      params.set("chat_id", json(chatId));
    }
    return record("editMessageReplyMarkup", params);
  }

  /** {@code Api}: {@code Api.<method>(params)} and {@code Api.call(method, params)}. */
  Scriptable apiNamespace() {
    Scriptable scope = run.scope();
    HostObjects.Namespace api =
        new HostObjects.Namespace(
            scope,
            (s, method) ->
                new LambdaFunction(
                    s, method, 1, (c, sc, t, a) -> record(method, jsonOrEmpty(arg(a, 0)))));
    api.function(
        "call", 2, (c, s, t, a) -> record(API_METHOD.read(arg(a, 0)), jsonOrEmpty(arg(a, 1))));
    return api;
  }

  /** {@code JSON.stringify(x, null, 2)} for objects and arrays, {@code String(x)} otherwise. */
  static String inspect(Object value) {
    if (ScriptArgs.isPlainObject(value)) {
      String text = JsonText.write(json(value), 2);
      if (text.length() > MAX_TEXT_CHARS) {
        throw ScriptRuntime.rangeError("inspect: text longer than " + MAX_TEXT_CHARS);
      }
      return text;
    }
    return INSPECTED.read(value);
  }

  private Object record(String method, JsonNode params) {
    SandboxContextFactory.SandboxContext.checkCurrent();
    run.budget().countMessage();
    run.budget().keep("an API call", method);
    run.budget().keep("an API call", params);
    run.output(new RunResult.Output.ApiCall(method, params));
    return Undefined.instance;
  }
}
