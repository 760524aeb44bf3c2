package dev.botwebhooks.webhook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text fields of a {@code multipart/form-data} body (RFC 7578), as an HTML form with {@code
 * enctype="multipart/form-data"} sends them: each part's {@code name} and its text. File parts
 * (those with a {@code filename}) are left out: {@code content} keeps the whole body (README "The
 * script API", {@code options}).
 */
final class MultipartForm {
  private static final Pattern NAME = Pattern.compile("(?i)(?:^|;)\\s*name=\"([^\"]*)\"");
  private static final Pattern FILENAME = Pattern.compile("(?i)(?:^|;)\\s*filename\\*?=");

  private MultipartForm() {}

  /** Each field's values in the order they came; nothing for a body that is not one. */
  static Map<String, List<String>> fields(String body, String boundary) {
    Map<String, List<String>> fields = new LinkedHashMap<>();
    String delimiter = "--" + boundary;
    int at = body.indexOf(delimiter);
    while (at >= 0) {
      int partStart = at + delimiter.length();
      if (body.startsWith("--", partStart)) {
        break; // the closing delimiter
      }
      int next = body.indexOf("\r\n" + delimiter, partStart);
      if (next < 0) {
        break; // a part the body does not close is not taken
      }
      part(body.substring(skipLineEnd(body, partStart), next), fields);
      at = next + 2;
    }
    return fields;
  }

  private static int skipLineEnd(String body, int at) {
    return body.startsWith("\r\n", at) ? at + 2 : at;
  }

  private static void part(String part, Map<String, List<String>> fields) {
    int headersEnd = part.indexOf("\r\n\r\n");
    String headers = headersEnd < 0 ? part : part.substring(0, headersEnd);
    String value = headersEnd < 0 ? "" : part.substring(headersEnd + 4);
    for (String header : headers.split("\r\n")) {
      int colon = header.indexOf(':');
      if (colon < 0
          || !header.substring(0, colon).trim().toLowerCase(Locale.ROOT)
              .equals("content-disposition")) {
        continue;
      }
      String disposition = header.substring(colon + 1);
      Matcher name = NAME.matcher(disposition);
      if (name.find() && !FILENAME.matcher(disposition).find()) {
        fields.computeIfAbsent(name.group(1), k -> new ArrayList<>()).add(value);
      }
      return;
    }
  }
}
