package dev.botwebhooks.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** Short, plain names for text of any length and alphabet: its SHA-256 in base64url. */
public final class Digest {
  private Digest() {}

  /** 43 characters of {@code [A-Za-z0-9_-]}, distinct for distinct texts (lone surrogates too). */
  public static String sha256(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(Utf16.distinctBytes(text));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
