package dev.botwebhooks.script;

import static dev.botwebhooks.script.ScriptArgs.absent;
import static dev.botwebhooks.script.ScriptArgs.arg;
import static dev.botwebhooks.script.ScriptArgs.field;
import static dev.botwebhooks.script.ScriptArgs.isPlainObject;

import dev.botwebhooks.core.PropertyKey;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.core.Utf16;
import dev.botwebhooks.gitimport.GitRepository;
import java.util.Optional;
import java.util.function.Supplier;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.SerializableCallable;
import org.mozilla.javascript.Undefined;

/**
 * {@code getProperty}, {@code setProperty}, {@code deleteProp} and their aliases, for the
 * {@code Bot} and the {@code User} namespace: positional or in the object form
 * {@code {name, value, type, user_id}}.
 */
final class PropertyCalls {
  private static final BoundedText NAME =
      BoundedText.scriptError("property name", PropertyKey.MAX_NAME_LENGTH);

  private final RunSession run;
  private final Supplier<Optional<String>> owner;

  /**
   * @param owner the user whose properties the namespace reads (empty: the bot's own); asked only
   *     when the call does not name a {@code user_id} of the bot in the object form
   */
  PropertyCalls(RunSession run, Supplier<Optional<String>> owner) {
    this.run = run;
    this.owner = owner;
  }

  void defineOn(HostObjects.Namespace target) {
    SerializableCallable set = (c, s, t, a) -> set(a);
    SerializableCallable get = (c, s, t, a) -> get(a);
    SerializableCallable delete = (c, s, t, a) -> delete(a);
    target.function("setProperty", 3, set);
    target.function("setProp", 3, set);
    target.function("getProperty", 2, get);
    target.function("getProp", 2, get);
    target.function("deleteProp", 1, delete);
    target.function("deleteProperty", 1, delete);
  }

  /** The property a call names and whose it is: positional, or the object form. */
  private record Target(Optional<String> owner, String name) {}

  private Target target(Object nameArg) {
    SandboxContextFactory.SandboxContext.checkCurrent();
    if (isPlainObject(nameArg)) {
      Scriptable obj = (Scriptable) nameArg;
      String name = name(field(obj, "name"));
      return new Target(ownerOf(obj), name);
    }
    return new Target(owner.get(), name(nameArg));
  }

  private Object set(Object[] a) {
    Object value = arg(a, 1);
    Object type = arg(a, 2);
    if (isPlainObject(arg(a, 0))) {
      Scriptable obj = (Scriptable) arg(a, 0);
      value = field(obj, "value");
      type = field(obj, "type");
    }
    Target target = writable(target(arg(a, 0)));
    // Reading such a name finds nothing; writing one would make what the bot API cannot name.
    if (target.name().chars().anyMatch(Character::isISOControl)) {
      throw ScriptRuntime.typeError("property name must not contain control characters");
    }
    // UTF-8 cannot keep it: two such names would be one on DynamoDB (README "Choices where the
    // contract left room", half of an emoji).
    if (Utf16.hasLoneSurrogate(target.name())) {
      throw ScriptRuntime.typeError(
          "property name must not hold half of a UTF-16 surrogate pair (an emoji cut in two)");
    }
    if (absent(value)) {
      run.host(h -> h.deleteProperty(target.owner(), target.name()));
      return Undefined.instance;
    }
    PropertyValue pv = run.properties().toProperty(value, type);
    run.host(h -> h.setProperty(target.owner(), target.name(), pv));
    return Undefined.instance;
  }

  private Object get(Object[] a) {
    Object fallback = arg(a, 1);
    if (isPlainObject(arg(a, 0))) {
      Scriptable obj = (Scriptable) arg(a, 0);
      Object d = field(obj, "value");
      fallback = absent(d) ? field(obj, "default") : d;
    }
    Target target = target(arg(a, 0));
    Optional<PropertyValue> found =
        Utf16.hasLoneSurrogate(target.name())
            ? Optional.empty() // no property has such a name: none is ever written
            : run.hostGet(h -> h.getProperty(target.owner(), target.name()));
    if (found.isEmpty()) {
      // undefined, as on Bots.Business: its ResourcesLib tests typeof(value) == 'undefined'; a
      // default given is the answer, null included.
      return fallback;
    }
    return run.properties().fromProperty(found.get());
  }

  private Object delete(Object[] a) {
    Target target = writable(target(arg(a, 0)));
    if (!Utf16.hasLoneSurrogate(target.name())) {
      run.host(h -> h.deleteProperty(target.owner(), target.name()));
    }
    return Undefined.instance;
  }

  /**
   * The bot's git repository decides what code the bot runs, so only its owner sets it (README
   * "Importing from git"); commands may read it.
   */
  private Target writable(Target target) {
    if (target.owner().isEmpty() && target.name().equals(GitRepository.PROPERTY)) {
      // It fails the run: a catch in the command cannot hide it (README "Importing from git").
      throw ScriptArgs.abort(
          GitRepository.PROPERTY + " is set by the bot's owner (PUT /bots/{botId}/git), not by"
              + " commands",
          null);
    }
    return target;
  }

  private Optional<String> ownerOf(Scriptable obj) {
    Optional<String> given = ScriptArgs.userIdOf(field(obj, "user_id"));
    return given.isPresent() ? given : owner.get();
  }

  /** A property name: 1-256 characters, as the bot API takes it. */
  private static String name(Object value) {
    if (absent(value)) {
      throw ScriptRuntime.typeError("property name is required");
    }
    return NAME.read(value);
  }
}
