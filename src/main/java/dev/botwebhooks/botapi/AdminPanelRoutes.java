package dev.botwebhooks.botapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.AdminPanel;
import dev.botwebhooks.core.PropertyKey;
import dev.botwebhooks.core.PropertyStore;
import dev.botwebhooks.core.PropertyType;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.http.HttpResponse;
import dev.botwebhooks.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * {@code /bots/{botId}/admin-panels/{panel}}: the panels a bot's commands made with {@code
 * AdminPanel.setPanel}, and their fields' values, which the owner fills in here (README "Admin
 * panels").
 */
final class AdminPanelRoutes {
  private final PropertyStore store;
  private final int maxPropertyBytes;

  /** @param maxPropertyBytes the panel is a property, and fits {@code MAX_PROPERTY_BYTES} */
  AdminPanelRoutes(PropertyStore store, int maxPropertyBytes) {
    this.store = store;
    this.maxPropertyBytes = maxPropertyBytes;
  }

  HttpResponse get(ApiCall call) {
    PropertyKey key = AdminPanel.key(call.botId(), call.param("panel"));
    return HttpResponse.json(200, shape(call.param("panel"), panel(key)));
  }

  /** {@code {"FIELD": value, ...}}: each value converted to its field's type. */
  HttpResponse putValues(ApiCall call) {
    PropertyKey key = AdminPanel.key(call.botId(), call.param("panel"));
    ObjectNode body = call.jsonObject();
    JsonNode panel = panel(key);
    Iterator<Map.Entry<String, JsonNode>> values = body.fields();
    while (values.hasNext()) {
      Map.Entry<String, JsonNode> v = values.next();
      panel = AdminPanel.withValue(panel, v.getKey(), v.getValue());
    }
    int bytes = Json.write(panel).getBytes(StandardCharsets.UTF_8).length;
    if (bytes > maxPropertyBytes) {
      throw new ApiException(
          413,
          "the panel with these values is " + bytes + " bytes of JSON; "
              + Settings.Env.MAX_PROPERTY_BYTES + " is " + maxPropertyBytes);
    }
    store.putProperty(key, new PropertyValue(PropertyType.JSON, panel));
    return HttpResponse.json(200, shape(call.param("panel"), panel));
  }

  private JsonNode panel(PropertyKey key) {
    return store
        .property(key)
        .filter(p -> p.value().type() == PropertyType.JSON)
        .map(p -> p.value().value())
        .orElseThrow(
            () -> ApiException.notFound(
                "no admin panel named '" + key.name().substring(AdminPanel.PROPERTY_PREFIX.length())
                    + "' (a command makes it with AdminPanel.setPanel)"));
  }

  private static ObjectNode shape(String name, JsonNode panel) {
    ObjectNode o = Json.object();
    o.put("name", name);
    o.set("panel", panel);
    o.set("values", AdminPanel.values(panel));
    return o;
  }
}
