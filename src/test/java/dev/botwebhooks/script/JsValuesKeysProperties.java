package dev.botwebhooks.script;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.ScriptableObject;

/**
 * Objects the host makes from JSON (properties, {@code options}, parsed bodies) answer to every
 * key as a script-made object would, keys that look like numbers ({@code "101"}, {@code "0"},
 * {@code "2147483648"}, {@code "-1"}, {@code "01"}) included.
 */
class JsValuesKeysProperties {

  @Provide
  Arbitrary<Map<String, Integer>> objects() {
    Arbitrary<String> numeric =
        Arbitraries.longs().between(-5, 5_000_000_000L).map(String::valueOf);
    Arbitrary<String> padded = Arbitraries.integers().between(0, 999).map(i -> "0" + i);
    Arbitrary<String> any = Arbitraries.strings().ofMinLength(0).ofMaxLength(12);
    Arbitrary<String> key = Arbitraries.oneOf(numeric, padded, any, Arbitraries.of("1e3", "1.5"));
    return Arbitraries.maps(key, Arbitraries.integers().between(-1000, 1000)).ofMaxSize(12);
  }

  @Property(tries = 300)
  void everyKeyReadsBackByNameAndAsANumber(@ForAll("objects") Map<String, Integer> entries) {
    ObjectNode json = Json.object();
    entries.forEach(json::put);
    Context cx = Context.enter();
    try {
      cx.setLanguageVersion(Context.VERSION_ES6);
      cx.setInterpretedMode(true);
      ScriptableObject scope = cx.initStandardObjects();
      ScriptableObject.putProperty(scope, "o", JsValues.fromJson(cx, scope, json));
      for (Map.Entry<String, Integer> e : entries.entrySet()) {
        ScriptableObject.putProperty(scope, "k", e.getKey());
        Object byName = cx.evaluateString(scope, "o[k]", "test", 1, null);
        assertThat(((Number) byName).intValue()).as("o[%s]", e.getKey()).isEqualTo(e.getValue());
        Object inKeys = cx.evaluateString(scope, "Object.keys(o).indexOf(k) >= 0", "t", 1, null);
        assertThat(inKeys).isEqualTo(Boolean.TRUE);
        Object asNumber =
            cx.evaluateString(
                scope, "String(Number(k)) === k ? o[Number(k)] === o[k] : true", "t", 1, null);
        assertThat(asNumber).as("o[Number(%s)]", e.getKey()).isEqualTo(Boolean.TRUE);
      }
      Object count = cx.evaluateString(scope, "Object.keys(o).length", "test", 1, null);
      assertThat(((Number) count).intValue()).isEqualTo(entries.size());
      JsonNode back = JsValues.toJson(ScriptableObject.getProperty(scope, "o"), 1 << 20);
      Map<String, Integer> read = new LinkedHashMap<>();
      back.fields().forEachRemaining(f -> read.put(f.getKey(), f.getValue().intValue()));
      assertThat(read).isEqualTo(entries);
    } finally {
      Context.exit();
    }
  }
}
