package dev.botwebhooks.script;

import dev.botwebhooks.core.BotUser;
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
    new PropertyCalls(run, () -> requireUser(run), false).defineOn(user);
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
    if (id != null && id.matches("-?[0-9]{1,15}")) {
      return (double) Long.parseLong(id);
    }
    return id;
  }
}
