package dev.botwebhooks.script;

import static dev.botwebhooks.script.ScriptArgs.arg;

import java.util.Optional;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.Undefined;

/**
 * The {@code Bot} namespace: messages, nested and deferred runs, the bot's properties and its git
 * import.
 */
final class BotNamespace {
  private BotNamespace() {}

  static Scriptable create(RunSession run, Messages messages, NestedRuns runs) {
    Scriptable scope = run.scope();
    HostObjects.Namespace bot =
        new HostObjects.Namespace(scope, (s, name) -> HostObjects.unavailable(s, "Bot." + name));
    bot.function("sendMessage", 2, (c, s, t, a) -> messages.send(arg(a, 0), arg(a, 1)));
    bot.function("sendKeyboard", 2, (c, s, t, a) -> messages.send(arg(a, 1), arg(a, 0)));
    bot.function("sendInlineKeyboard", 2, (c, s, t, a) -> messages.send(arg(a, 1), arg(a, 0)));
    bot.function(
        "inspect",
        1,
        (c, s, t, a) -> messages.send(Messages.inspect(arg(a, 0)), Undefined.instance));
    bot.function("runCommand", 2, (c, s, t, a) -> runs.runCommand(arg(a, 0), arg(a, 1)));
    bot.function("run", 1, (c, s, t, a) -> runs.runLater(arg(a, 0)));
    bot.function(
        "sendMessageToChatWithId", 2, (c, s, t, a) -> messages.sendToChat(arg(a, 0), arg(a, 1)));
    bot.function(
        "editInlineKeyboard",
        3,
        (c, s, t, a) -> messages.editInlineKeyboard(arg(a, 0), arg(a, 1), arg(a, 2)));
    bot.function("importGit", 1, (c, s, t, a) -> new GitImportCall(run).queue(arg(a, 0)));
    bot.defineProperty("runAll", HostObjects.unavailable(scope, "Bot.runAll"), 0);
    new PropertyCalls(run, Optional::empty).defineOn(bot);
    return bot;
  }
}
