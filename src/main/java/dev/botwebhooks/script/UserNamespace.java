package dev.botwebhooks.script;

import dev.botwebhooks.core.BotUser;
import dev.botwebhooks.core.Ids;
import java.util.Optional;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;

/** The {@code User} namespace (the current user's properties) and the {@code user} global. */
final class UserNamespace {
  private UserNamespace() {}

  static Scriptable create(RunSession run) {
    HostObjects.Namespace user =
        new HostObjects.Namespace(
            run.scope(), (s, name) -> HostObjects.unavailable(s, "User." + name));
    new PropertyCalls(run, () -> requireUser(run)).defineOn(user);
    return user;
  }

  /** {@code {id, telegramid, first_name, last_name, username}}, or null for a global hook. */
  static Object userValue(RunSession run) {
    if (run.request().user().isEmpty()) {
      return null;
    }
    BotUser u = run.request().user().get();
    Scriptable obj = run.cx().newObject(run.scope());
    ScriptableObject.putProperty(obj, "id", numericIfInteger(u.id()));
    ScriptableObject.putProperty(obj, "telegramid", numericIfInteger(u.telegramId()));
    ScriptableObject.putProperty(obj, "first_name", u.firstName());
    ScriptableObject.putProperty(obj, "last_name", u.lastName());
    ScriptableObject.putProperty(obj, "username", u.username());
    return obj;
  }

  /**
   * The user's private chat, as Bots.Business gives it to a command the user runs: {@code {id,
   * chatid, chat_type: "private", user_id, bot_id, title, just_created}}, the chat id being the
   * user's Telegram id; null for a global hook.
   */
  static Object chatValue(RunSession run) {
    if (run.request().user().isEmpty()) {
      return null;
    }
    BotUser u = run.request().user().get();
    Object chatId = numericIfInteger(u.telegramId() == null ? u.id() : u.telegramId());
    Scriptable obj = run.cx().newObject(run.scope());
    ScriptableObject.putProperty(obj, "id", chatId);
    ScriptableObject.putProperty(obj, "chatid", chatId);
    ScriptableObject.putProperty(obj, "chat_type", "private");
    ScriptableObject.putProperty(obj, "user_id", numericIfInteger(u.id()));
    ScriptableObject.putProperty(obj, "bot_id", run.request().botId());
    ScriptableObject.putProperty(obj, "title", null);
    ScriptableObject.putProperty(obj, "just_created", false);
    return obj;
  }

  private static Optional<String> requireUser(RunSession run) {
    if (run.userId().isEmpty()) {
      throw ScriptRuntime.throwError(
          run.cx(),
          run.scope(),
          "User properties need a user, and this run has none (a global hook)");
    }
    return run.userId();
  }

  /** Bots.Business ids are numbers; ids that look like safe integers are shown as numbers. */
  private static Object numericIfInteger(String id) {
    return Ids.numeric(id).<Object>map(Long::doubleValue).orElse(id);
  }
}
