package dev.botwebhooks.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.PropertyType;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.EcmaError;
import org.mozilla.javascript.JavaScriptException;
import org.mozilla.javascript.NativeArray;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;
import org.mozilla.javascript.Undefined;

/** The property codec on its own: inferred types, named types, limits and read-back values. */
class PropertyCodecTest {
  private static final int MAX_BYTES = 64;

  private Context cx;
  private ScriptableObject scope;
  private PropertyCodec codec;

  @BeforeEach
  void enter() {
    cx = Context.enter();
    cx.setLanguageVersion(Context.VERSION_ES6);
    cx.setInterpretedMode(true);
    scope = cx.initStandardObjects();
    codec = new PropertyCodec(cx, scope, MAX_BYTES);
  }

  @AfterEach
  void exit() {
    Context.exit();
  }

  private Object eval(String source) {
    return cx.evaluateString(scope, source, "test", 1, null);
  }

  private PropertyValue store(String valueSource) {
    return codec.toProperty(eval(valueSource), Undefined.instance);
  }

  private PropertyValue store(String valueSource, String type) {
    return codec.toProperty(eval(valueSource), type);
  }

  @Test
  void typeIsInferredFromTheValue() {
    assertThat(store("5").type()).isEqualTo(PropertyType.INTEGER);
    assertThat(store("-0.5").type()).isEqualTo(PropertyType.FLOAT);
    assertThat(store("true").type()).isEqualTo(PropertyType.BOOLEAN);
    assertThat(store("'x'").type()).isEqualTo(PropertyType.STRING);
    assertThat(store("new String('x')").type()).isEqualTo(PropertyType.STRING);
    assertThat(store("new Number(1)").type()).isEqualTo(PropertyType.FLOAT);
    assertThat(store("new Date(0)").type()).isEqualTo(PropertyType.DATETIME);
    assertThat(store("({a: [1]})").type()).isEqualTo(PropertyType.JSON);
    assertThat(store("[1, 2]").type()).isEqualTo(PropertyType.JSON);
    assertThat(store("null").type()).isEqualTo(PropertyType.STRING);
  }

  @Test
  void valuesAreConvertedToTheNamedType() {
    assertThat(store("'12.9'", "integer").value().asLong()).isEqualTo(12);
    assertThat(store("-12.9", "INTEGER").value().asLong()).isEqualTo(-12);
    assertThat(store("'2.5'", "float").value().doubleValue()).isEqualTo(2.5);
    assertThat(store("''", "boolean").value().booleanValue()).isFalse();
    assertThat(store("42", "text").value().textValue()).isEqualTo("42");
    assertThat(store("new Date(0)").value().textValue()).isEqualTo("1970-01-01T00:00:00.000Z");
    assertThat(store("'tomorrow'", "datetime").value().textValue()).isEqualTo("tomorrow");
    assertThat(store("({a: [1, 'b']})").value().toString()).isEqualTo("{\"a\":[1,\"b\"]}");
  }

  /**
   * A whole number past 2^53 is stored as an integer in JSON, not in float notation
   * (9.007199254740992E15), which typed clients of the bot API refuse; it reads back as the
   * same number.
   */
  @Test
  void wholeNumbersPast2pow53StayIntegersInJson() {
    assertThat(store("Math.pow(2, 53)", "integer").value().toString()).isEqualTo("9007199254740992");
    assertThat(store("1e21", "integer").value().toString()).isEqualTo("1000000000000000000000");
    assertThat(store("-1e21").value().toString()).isEqualTo("-1000000000000000000000");
    assertThat(store("({n: Math.pow(2, 60), f: 0.5})").value().toString())
        .isEqualTo("{\"n\":1152921504606846976,\"f\":0.5}");
    assertThat(codec.fromProperty(store("1e21", "integer"))).isEqualTo(1e21);
  }

  @Test
  void badValuesAndTypesAreScriptErrors() {
    assertThatThrownBy(() -> store("'abc'", "integer"))
        .isInstanceOf(EcmaError.class)
        .hasMessageContaining("integer property value is not a number");
    assertThatThrownBy(() -> store("1", "money"))
        .isInstanceOf(JavaScriptException.class)
        .hasMessageContaining("unknown property type 'money'");
    assertThatThrownBy(() -> store("1", "x".repeat(65)))
        .isInstanceOf(EcmaError.class)
        .hasMessageContaining("property type longer than 64 characters");
    assertThatThrownBy(() -> store("new Date(NaN)"))
        .isInstanceOf(EcmaError.class)
        .hasMessageContaining("Invalid Date");
  }

  @Test
  void valuesOverTheSizeLimitEndTheRunNamingIt() {
    assertThatThrownBy(() -> store("'x'.repeat(65)"))
        .isInstanceOf(RunAbortedError.class)
        .hasMessage("property value over 64 bytes")
        .satisfies(
            e ->
                assertThat(((RunAbortedError) e).limit())
                    .contains(Settings.Env.MAX_PROPERTY_BYTES));
    assertThatThrownBy(() -> store("({a: 'x'.repeat(65)})"))
        .isInstanceOf(RunAbortedError.class)
        .hasMessage("property value over 64 bytes");
  }

  @Test
  void storedValuesReadBackAsScriptValues() {
    assertThat(
            codec.fromProperty(new PropertyValue(PropertyType.INTEGER, Json.MAPPER.valueToTree(7))))
        .isEqualTo(7.0);
    assertThat(
            codec.fromProperty(
                new PropertyValue(PropertyType.FLOAT, Json.MAPPER.valueToTree("1.5"))))
        .isEqualTo(1.5);
    assertThat(
            codec.fromProperty(
                new PropertyValue(PropertyType.BOOLEAN, Json.MAPPER.valueToTree("true"))))
        .isEqualTo(true);
    assertThat(
            codec.fromProperty(
                new PropertyValue(PropertyType.STRING, Json.MAPPER.valueToTree("hi"))))
        .isEqualTo("hi");
    Object json =
        codec.fromProperty(
            new PropertyValue(PropertyType.JSON, Json.MAPPER.valueToTree(new int[] {1, 2})));
    assertThat(json).isInstanceOf(NativeArray.class);
    assertThat(((Scriptable) json).get(1, (Scriptable) json)).isEqualTo(2.0);
  }
}
