package dev.botwebhooks.http;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a {@code Content-Type} value says about the text it labels. */
public final class ContentType {
  private static final Pattern CHARSET = Pattern.compile("(?i)charset=\"?([A-Za-z0-9._:-]+)");

  private static final Pattern BOUNDARY =
      Pattern.compile("(?i)boundary=(?:\"([^\"]{1,70})\"|([^;\\s]{1,70}))");

  private ContentType() {}

  /** The {@code boundary} of a multipart type, if it names one (RFC 2046: 1-70 characters). */
  public static java.util.Optional<String> boundaryOf(String contentType) {
    if (contentType != null) {
      Matcher m = BOUNDARY.matcher(contentType);
      if (m.find()) {
        return java.util.Optional.of(m.group(1) != null ? m.group(1) : m.group(2));
      }
    }
    return java.util.Optional.empty();
  }

  /** The charset it names, else UTF-8, also for a name Java does not know or none at all. */
  public static Charset charsetOf(String contentType) {
    if (contentType != null) {
      Matcher m = CHARSET.matcher(contentType);
      if (m.find()) {
        try {
          return Charset.forName(m.group(1));
        } catch (IllegalArgumentException e) {
          return StandardCharsets.UTF_8;
        }
      }
    }
    return StandardCharsets.UTF_8;
  }
}
