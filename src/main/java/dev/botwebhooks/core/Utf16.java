package dev.botwebhooks.core;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Lone surrogates: half of a UTF-16 pair, legal in a script's string (an emoji cut in two), absent
 * from UTF-8 (README "Choices where the contract left room", half of an emoji).
 */
public final class Utf16 {
  private Utf16() {}

  /** Whether the text holds a lone surrogate. */
  public static boolean hasLoneSurrogate(String text) {
    return loneAt(text, 0) >= 0;
  }

  /** The text with each lone surrogate as U+FFFD, as UTF-8 can carry it. */
  public static String wellFormed(String text) {
    int at = loneAt(text, 0);
    if (at < 0) {
      return text;
    }
    StringBuilder fixed = new StringBuilder(text);
    while (at >= 0) {
      fixed.setCharAt(at, '\uFFFD');
      at = loneAt(text, at + 1);
    }
    return fixed.toString();
  }

  /**
   * The text's bytes, distinct for distinct texts: its UTF-8, where each lone surrogate is the
   * three bytes of its code point (as WTF-8 writes it), which no UTF-8 text holds. {@code
   * getBytes(UTF_8)} writes every lone surrogate as {@code ?}.
   */
  public static byte[] distinctBytes(String text) {
    if (!hasLoneSurrogate(text)) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() * 3);
    int from = 0;
    for (int at = loneAt(text, 0); at >= 0; at = loneAt(text, at + 1)) {
      out.writeBytes(text.substring(from, at).getBytes(StandardCharsets.UTF_8));
      char c = text.charAt(at);
      out.write(0xE0 | (c >> 12));
      out.write(0x80 | ((c >> 6) & 0x3F));
      out.write(0x80 | (c & 0x3F));
      from = at + 1;
    }
    out.writeBytes(text.substring(from).getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  /** The index of the first lone surrogate at or after {@code from}, or -1. */
  private static int loneAt(String text, int from) {
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isSurrogate(c)) {
        continue;
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
        continue;
      }
      return i;
    }
    return -1;
  }
}
