package dev.botwebhooks.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.util.StdDateFormat;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.text.DateFormat;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Date;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

/**
 * The project's copy of Jackson's StdDateFormat (src/jackson-patch) is the class that is loaded, its
 * class initialization makes no Calendar or DateFormat (README "Performance"), and dates still read
 * and write as Jackson's own class does.
 */
class StdDateFormatPatchTest {
  @Test
  void stdDateFormat_isTheProjectsCopy_withNoBlueprintMadeWhenInitialized() {
    String location =
        StdDateFormat.class.getProtectionDomain().getCodeSource().getLocation().toString();
    assertThat(location).doesNotContain("jackson-databind");

    assertThat(Arrays.stream(StdDateFormat.class.getDeclaredFields()))
        .filteredOn(f -> Modifier.isStatic(f.getModifiers()))
        .extracting(Field::getType)
        .as("static fields")
        .doesNotContain(Calendar.class, DateFormat.class);
    assertThat(StdDateFormat.class.getDeclaredClasses())
        .extracting(Class::getSimpleName)
        .contains("Blueprints");
  }

  @Test
  void dates_readAndWrite_asJacksonsOwnClassDoes() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    Date epochPlus = new Date(86_400_000L + 1_234);

    assertThat(mapper.writeValueAsString(epochPlus)).isEqualTo("86401234");
    assertThat(mapper.copy().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .writeValueAsString(epochPlus))
        .isEqualTo("\"1970-01-02T00:00:01.234+00:00\"");
    assertThat(mapper.readValue("\"1970-01-02T00:00:01.234Z\"", Date.class)).isEqualTo(epochPlus);
    assertThat(mapper.readValue("\"1970-01-02\"", Date.class)).isEqualTo(new Date(86_400_000L));
    assertThat(mapper.readValue("\"Fri, 02 Jan 1970 00:00:01 GMT\"", Date.class))
        .isEqualTo(new Date(86_401_000L));
    assertThat(
            new StdDateFormat()
                .withTimeZone(TimeZone.getTimeZone("Europe/Paris"))
                .format(new Date(0)))
        .isEqualTo("1970-01-01T01:00:00.000+01:00");
  }
}
