package dev.botwebhooks.core;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a hook's owner says the delivery id of a hit is (README "Reliability"): {@code
 * body.<field>[.<field>...]}, a field of a JSON or form body (dotted for nested JSON objects; a
 * query parameter of that name counts too, as in {@code options.params}), or {@code
 * header.<Name>}.
 *
 * @param header true for a header, false for a body field
 * @param path the header name, or the field names from the outside in
 */
public record DeliveryKey(boolean header, List<String> path) {
  public static final int MAX_CHARS = 256;
  private static final Pattern FIELD = Pattern.compile("[A-Za-z0-9_$@:-]{1,64}");
  private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}");

  public DeliveryKey {
    path = List.copyOf(path);
  }

  /** The expression as it was written, e.g. {@code body.order.id}. */
  public String text() {
    return (header ? "header." : "body.") + String.join(".", path);
  }

  /**
   * @throws InvalidRequestException naming {@code delivery_key} and the rule it breaks
   */
  public static DeliveryKey parse(String text) {
    if (text.length() > MAX_CHARS) {
      throw invalid("delivery_key must be at most " + MAX_CHARS + " characters");
    }
    if (text.startsWith("header.")) {
      String name = text.substring("header.".length());
      if (!HEADER.matcher(name).matches()) {
        throw invalid("delivery_key header.<Name> needs a header name of 1-64 token characters");
      }
      return new DeliveryKey(true, List.of(name));
    }
    if (text.startsWith("body.")) {
      List<String> fields = List.of(text.substring("body.".length()).split("\\.", -1));
      for (String field : fields) {
        if (!FIELD.matcher(field).matches()) {
          throw invalid(
              "delivery_key body.<field>[.<field>...] needs fields of 1-64 of [A-Za-z0-9_$@:-]");
        }
      }
      return new DeliveryKey(false, fields);
    }
    throw invalid("delivery_key must start with 'body.' or 'header.', e.g. body.order_id");
  }

  private static InvalidRequestException invalid(String message) {
    return new InvalidRequestException("delivery_key", message);
  }
}
