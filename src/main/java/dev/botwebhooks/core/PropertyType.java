package dev.botwebhooks.core;

import java.util.Locale;
import java.util.Optional;

/** The Bots.Business property types; {@link #wireName()} is the name scripts and the API use. */
public enum PropertyType {
  INTEGER,
  FLOAT,
  STRING,
  TEXT,
  BOOLEAN,
  JSON,
  DATETIME;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<PropertyType> fromWireName(String name) {
    if (name == null) {
      return Optional.empty();
    }
    for (PropertyType t : values()) {
      if (t.wireName().equals(name.toLowerCase(Locale.ROOT))) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
