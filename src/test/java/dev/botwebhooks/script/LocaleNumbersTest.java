package dev.botwebhooks.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The locales scripts name are the JDK's own, so that no tag grows what the JDK keeps. */
class LocaleNumbersTest {
  @Test
  void aNamedLocale_isOneOfTheJdksOwn() {
    assertThat(LocaleNumbers.locale("de-DE")).isEqualTo(Locale.GERMANY);
    assertThat(LocaleNumbers.locale("de-DE-u-ca-gregory-x-mine")).isEqualTo(Locale.GERMANY);
    assertThat(LocaleNumbers.locale("en-x-a1b2")).isEqualTo(Locale.ENGLISH);
    assertThat(LocaleNumbers.locale("en-QQ")).isEqualTo(Locale.ENGLISH);
    assertThat(LocaleNumbers.locale("qaa-QQ")).isEqualTo(Locale.US);
    assertThat(LocaleNumbers.locale("ru")).isEqualTo(Locale.of("ru"));
    assertThat(LocaleNumbers.locale("ar-EG-u-nu-latn").toLanguageTag()).isEqualTo("ar-EG-u-nu-latn");
    assertThat(LocaleNumbers.locale("th-TH-u-nu-thai-x-a1").toLanguageTag()).isEqualTo("th-TH-u-nu-thai");
    assertThat(LocaleNumbers.locale("en-u-nu-zzzz")).isEqualTo(Locale.ENGLISH);
  }

  /** One locale per made-up tag kept the JDK's resources for each: 100,000 tags kept 130 MB. */
  @Test
  void madeUpTags_giveFewLocales() {
    Set<Locale> seen = new HashSet<>();
    for (int i = 0; i < 5_000; i++) {
      seen.add(LocaleNumbers.locale("en-x-" + Integer.toString(i, 36)));
      seen.add(LocaleNumbers.locale("de-AT-u-ca-t" + Integer.toString(i, 36)));
      seen.add(LocaleNumbers.locale("fr-" + String.format("%03d", i % 1000)));
    }
    assertThat(seen).hasSizeLessThanOrEqualTo(10);
    assertThat(Set.copyOf(java.util.Arrays.asList(Locale.getAvailableLocales()))).containsAll(seen);
  }
}
