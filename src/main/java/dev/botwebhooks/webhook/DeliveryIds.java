package dev.botwebhooks.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.core.Delivery;
import dev.botwebhooks.core.DeliveryKey;
import dev.botwebhooks.core.Digest;
import dev.botwebhooks.core.Webhook;
import dev.botwebhooks.http.HttpRequest;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The delivery id a hit carries, if any (README "Reliability"): the hook's own delivery key when
 * the request has that value, else the first of the recognised headers, else the id of a Stripe
 * event in a JSON body. The id names its source ({@code webhook-id:msg_1}), so that values from
 * different places never meet; an id too long for a record, or read from a header the request log
 * redacts, is kept as its SHA-256, so that neither the record nor the log holds the secret.
 */
final class DeliveryIds {
  /** Recognised headers, in the order they are looked for. */
  static final List<String> HEADERS =
      List.of("Idempotency-Key", "webhook-id", "X-GitHub-Delivery", "X-Shopify-Webhook-Id");

  private DeliveryIds() {}

  /**
   * @param params the hit's {@code options.params}: query and form or JSON body fields
   * @param redacted the lower-cased names of the headers the request log redacts
   */
  static Optional<String> of(
      HttpRequest request, Webhook hook, JsonNode params, Set<String> redacted) {
    Optional<DeliveryKey> key = hook.delivery();
    if (key.isPresent()) {
      Optional<String> value = valueOf(key.get(), request, params);
      if (value.isPresent()) {
        boolean secret =
            key.get().header()
                && redacted.contains(key.get().path().get(0).toLowerCase(Locale.ROOT));
        return Optional.of(named(key.get().text(), value.get(), secret));
      }
    }
    for (String header : HEADERS) {
      Optional<String> value = request.headers().first(header).filter(v -> !v.isBlank());
      if (value.isPresent()) {
        String name = header.toLowerCase(Locale.ROOT);
        return Optional.of(named(name, value.get(), redacted.contains(name)));
      }
    }
    return startsAnObject(request.body())
        ? stripeEvent(params).map(id -> named("stripe", id, false))
        : Optional.empty();
  }

  private static Optional<String> valueOf(DeliveryKey key, HttpRequest request, JsonNode params) {
    if (key.header()) {
      return request.headers().first(key.path().get(0)).filter(v -> !v.isBlank());
    }
    JsonNode node = params;
    for (String field : key.path()) {
      node = node.path(field);
    }
    // A JSON null is no id, as a missing field is: "null" would make every such event one delivery.
    if (!node.isValueNode() || node.isNull()) {
      return Optional.empty();
    }
    String text = node.isNumber() ? numberText(node) : node.asText();
    return text.isBlank() ? Optional.empty() : Optional.of(text);
  }

  /**
   * A number's value written plainly, so that each way to write one number is one delivery ({@code
   * 1}, {@code 1.0}, {@code 1e0} and {@code "1"}; {@code -0} and {@code 0}), as the command sees
   * one number; every digit of a long integer is kept, so two order ids past 2^53 stay two.
   */
  private static String numberText(JsonNode number) {
    if (!Double.isFinite(number.doubleValue()) && number.isFloatingPointNumber()) {
      return number.asText(); // 1e999, read as Infinity
    }
    BigDecimal value = number.decimalValue();
    return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
  }

  private static boolean startsAnObject(byte[] body) {
    boolean byteOrderMark =
        body.length >= 3 && body[0] == (byte) 0xEF && body[1] == (byte) 0xBB && body[2] == (byte) 0xBF;
    for (int i = byteOrderMark ? 3 : 0; i < body.length; i++) {
      if (!Character.isWhitespace(body[i])) {
        return body[i] == '{';
      }
    }
    return false;
  }

  /** Stripe's events are JSON objects with {@code "object": "event"} and an {@code evt_} id. */
  private static Optional<String> stripeEvent(JsonNode params) {
    JsonNode id = params.path("id");
    if ("event".equals(params.path("object").asText(null))
        && id.isTextual()
        && id.asText().startsWith("evt_")) {
      return Optional.of(id.asText());
    }
    return Optional.empty();
  }

  private static String named(String source, String value, boolean secret) {
    String id = source + ":" + value;
    return id.length() <= Delivery.MAX_ID_CHARS && !secret ? id : "sha256:" + Digest.sha256(id);
  }
}
