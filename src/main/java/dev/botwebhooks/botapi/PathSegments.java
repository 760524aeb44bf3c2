package dev.botwebhooks.botapi;

import dev.botwebhooks.http.Utf8;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a raw request path into percent-decoded segments. Paths arrive undecoded so that an
 * escaped slash ({@code %2FonWebhook}) stays inside its segment; {@code +} is a plain character in
 * a path, and bad escapes, invalid UTF-8 and NUL are refused.
 */
final class PathSegments {
  private PathSegments() {}

  /**
   * The decoded segments of a path such as {@code /bots/abc/commands/%2Fstart}; an empty segment
   * (from {@code //} or a trailing slash) is kept as "" so that such paths match no route.
   */
  static List<String> decode(String rawPath) {
    String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
    List<String> segments = new ArrayList<>();
    if (path.isEmpty()) {
      return segments;
    }
    for (String raw : path.split("/", -1)) {
      segments.add(decodeSegment(raw));
    }
    return segments;
  }

  static String decodeSegment(String raw) {
    if (raw.indexOf('%') < 0) {
      requireNoNul(raw);
      return raw;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c != '%') {
        byte[] plain = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < raw.length()) {
          plain = raw.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        bytes.writeBytes(plain);
        continue;
      }
      if (i + 2 >= raw.length()) {
        throw ApiException.badRequest("path has a bad percent-escape: '%' needs two hex digits");
      }
      int hi = Character.digit(raw.charAt(i + 1), 16);
      int lo = Character.digit(raw.charAt(i + 2), 16);
      if (hi < 0 || lo < 0) {
        throw ApiException.badRequest("path has a bad percent-escape: '%' needs two hex digits");
      }
      bytes.write(hi * 16 + lo);
      i += 2;
    }
    String decoded =
        Utf8.strict(bytes.toByteArray())
            .orElseThrow(
                () ->
                    ApiException.badRequest(
                        "path segment is not valid UTF-8 once percent-decoded"));
    requireNoNul(decoded);
    return decoded;
  }

  private static void requireNoNul(String segment) {
    if (segment.indexOf('\0') >= 0) {
      throw ApiException.badRequest("path must not contain NUL characters");
    }
  }
}
