package dev.botwebhooks.script;

import static dev.botwebhooks.script.ScriptArgs.absent;
import static dev.botwebhooks.script.ScriptArgs.arg;
import static dev.botwebhooks.script.ScriptArgs.field;
import static dev.botwebhooks.script.ScriptArgs.isPlainObject;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.core.AdminPanel;
import dev.botwebhooks.core.PropertyType;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.core.Utf16;
import java.util.Optional;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.Scriptable;

/**
 * {@code AdminPanel}: {@code setPanel}, {@code getPanel}, {@code getPanelValues}, {@code
 * getFieldValue}, {@code setFieldValue} and {@code getPanelField} over the bot's panels (README
 * "Admin panels"); reads and writes go through the run's transaction like any property.
 */
final class AdminPanelNamespace {
  private static final BoundedText NAME = BoundedText.scriptError("panel name", 256);

  private final RunSession run;

  AdminPanelNamespace(RunSession run) {
    this.run = run;
  }

  Scriptable create() {
    HostObjects.Namespace ns =
        new HostObjects.Namespace(
            run.scope(), (s, name) -> HostObjects.unavailable(s, "AdminPanel." + name));
    ns.function("setPanel", 2, (c, s, t, a) -> setPanel(arg(a, 0), arg(a, 1)));
    ns.function("getPanel", 1, (c, s, t, a) -> value(panel(panelName(arg(a, 0)))));
    ns.function(
        "getPanelValues",
        1,
        (c, s, t, a) -> value(panel(panelName(arg(a, 0))).map(AdminPanel::values)));
    ns.function("getFieldValue", 1, (c, s, t, a) -> fieldOf(arg(a, 0), true));
    ns.function("getPanelField", 1, (c, s, t, a) -> fieldOf(arg(a, 0), false));
    ns.function("setFieldValue", 1, (c, s, t, a) -> setFieldValue(arg(a, 0)));
    return ns;
  }

  private Object setPanel(Object first, Object second) {
    String name;
    Object data;
    boolean force = false;
    if (isPlainObject(first)) {
      Scriptable obj = (Scriptable) first;
      name = panelName(field(obj, "panel_name"));
      data = field(obj, "data");
      force = ScriptRuntime.toBoolean(field(obj, "force"));
    } else {
      name = panelName(first);
      data = second;
    }
    JsonNode merged = AdminPanel.merge(ScriptArgs.json(data), panel(name), force);
    store(name, merged);
    return true;
  }

  private Object fieldOf(Object spec, boolean valueOnly) {
    if (!isPlainObject(spec)) {
      throw ScriptRuntime.typeError("AdminPanel needs an object: {panel_name, field_name}");
    }
    Scriptable obj = (Scriptable) spec;
    String fieldName = NAME.read(field(obj, "field_name"));
    Optional<JsonNode> field =
        panel(panelName(field(obj, "panel_name"))).flatMap(p -> AdminPanel.field(p, fieldName));
    if (valueOnly) {
      return value(field.map(f -> f.path("value")).filter(v -> !v.isMissingNode()));
    }
    return value(field);
  }

  private Object setFieldValue(Object spec) {
    if (!isPlainObject(spec)) {
      throw ScriptRuntime.typeError("AdminPanel.setFieldValue needs {panel_name, field_name, value}");
    }
    Scriptable obj = (Scriptable) spec;
    String name = panelName(field(obj, "panel_name"));
    String fieldName = NAME.read(field(obj, "field_name"));
    JsonNode panel =
        panel(name)
            .orElseThrow(
                () -> ScriptRuntime.throwError(run.cx(), run.scope(), "no admin panel '" + name + "'"));
    Object value = field(obj, "value");
    store(name, run.hostGet(h -> AdminPanel.withValue(panel, fieldName, ScriptArgs.json(value))));
    return true;
  }

  private String panelName(Object value) {
    if (absent(value)) {
      throw ScriptRuntime.typeError("panel_name is required");
    }
    if (isPlainObject(value)) {
      return panelName(field((Scriptable) value, "panel_name"));
    }
    String name = NAME.read(value);
    if (Utf16.hasLoneSurrogate(name)) {
      throw ScriptRuntime.typeError(
          "panel name must not hold half of a UTF-16 surrogate pair (an emoji cut in two)");
    }
    return name;
  }

  private Optional<JsonNode> panel(String name) {
    String property = run.hostGet(h -> AdminPanel.propertyName(name));
    return run.hostGet(h -> h.getProperty(Optional.empty(), property))
        .filter(v -> v.type() == PropertyType.JSON)
        .map(PropertyValue::value);
  }

  private void store(String name, JsonNode panel) {
    String property = run.hostGet(h -> AdminPanel.propertyName(name));
    run.host(h -> h.setProperty(Optional.empty(), property, new PropertyValue(PropertyType.JSON, panel)));
  }

  private Object value(Optional<? extends JsonNode> node) {
    return node.isEmpty() ? null : JsValues.fromJson(run.cx(), run.scope(), node.get());
  }
}
