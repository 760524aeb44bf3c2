package dev.botwebhooks.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botwebhooks.core.Delivery;
import dev.botwebhooks.core.DeliveryKey;
import dev.botwebhooks.core.Webhook;
import dev.botwebhooks.http.Headers;
import dev.botwebhooks.http.HttpRequest;
import dev.botwebhooks.http.UrlEncoded;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where a hit's delivery id is found: README "Reliability". */
class DeliveryIdsTest {
  private static final String HOOK_ID = "h".repeat(22);

  @Test
  void recognisedHeaders_inOrder_namedBySource() {
    assertThat(id(plain(), "", "Idempotency-Key", "k1", "webhook-id", "msg_1"))
        .contains("idempotency-key:k1");
    assertThat(id(plain(), "", "webhook-id", "msg_1", "X-GitHub-Delivery", "g1"))
        .contains("webhook-id:msg_1");
    assertThat(id(plain(), "", "x-github-delivery", "72d3162e")).contains("x-github-delivery:72d3162e");
    assertThat(id(plain(), "", "X-Shopify-Webhook-Id", "b54557e4")).contains("x-shopify-webhook-id:b54557e4");
    assertThat(id(plain(), "", "Idempotency-Key", "  ")).isEmpty();
    assertThat(id(plain(), "{\"a\":1}", "Content-Type", "application/json")).isEmpty();
  }

  @Test
  void stripeEvent_onlyWhenTheJsonBodyIsAnEvent() {
    assertThat(id(plain(), "{\"id\":\"evt_1N\",\"object\":\"event\",\"type\":\"charge.succeeded\"}"))
        .contains("stripe:evt_1N");
    assertThat(id(plain(), "{\"id\":\"ch_1\",\"object\":\"charge\"}")).isEmpty();
    assertThat(id(plain(), "{\"id\":\"cus_1\",\"object\":\"event\"}")).isEmpty();
    assertThat(idWithQuery(plain(), "object=event&id=evt_fake", "")).isEmpty();
  }

  @Test
  void hooksOwnKey_winsOverHeaders_andFallsBackToThemWhenAbsent() {
    Webhook byBody = withKey("body.order.id");
    assertThat(id(byBody, "{\"order\":{\"id\":42}}", "Idempotency-Key", "k1"))
        .contains("body.order.id:42");
    assertThat(id(byBody, "{\"order\":{}}", "Idempotency-Key", "k1"))
        .contains("idempotency-key:k1");
    assertThat(id(withKey("body.txn"), "txn=T-9&amount=5",
        "Content-Type", "application/x-www-form-urlencoded")).contains("body.txn:T-9");
    assertThat(id(withKey("header.X-Txn"), "", "x-txn", "T-7")).contains("header.X-Txn:T-7");
    assertThat(id(byBody, "{\"order\":{\"id\":{\"deep\":1}}}")).isEmpty();
  }

  @Test
  void longIds_areKeptAsTheirHash_withinARecordsLimit() {
    String value = "v".repeat(1000);
    Optional<String> id = id(plain(), "", "Idempotency-Key", value);
    assertThat(id).hasValueSatisfying(v -> assertThat(v).startsWith("sha256:").hasSizeLessThan(60));
    assertThat(id(plain(), "", "Idempotency-Key", value)).isEqualTo(id);
    assertThat(id.get().length()).isLessThanOrEqualTo(Delivery.MAX_ID_CHARS);
  }

  private static Webhook plain() {
    return new Webhook(HOOK_ID, "b1", "/pay", null, null, null, null, Instant.EPOCH);
  }

  private static Webhook withKey(String key) {
    return new Webhook(
        HOOK_ID, "b1", "/pay", null, null, null, null, Instant.EPOCH, DeliveryKey.parse(key));
  }

  private static Optional<String> id(Webhook hook, String body, String... headers) {
    return idWithQuery(hook, "", body, headers);
  }

  private static Optional<String> idWithQuery(
      Webhook hook, String rawQuery, String body, String... headers) {
    Headers.Builder h = Headers.builder();
    for (int i = 0; i < headers.length; i += 2) {
      h.add(headers[i], headers[i + 1]);
    }
    HttpRequest request =
        new HttpRequest(
            "POST",
            "/hooks/" + HOOK_ID,
            rawQuery,
            UrlEncoded.parse(rawQuery),
            h.build(),
            body.getBytes(StandardCharsets.UTF_8),
            "203.0.113.7",
            "req-1",
            "https://example.com");
    HitInput input = HitInput.of(request, hook, Map.of());
    return DeliveryIds.of(request, hook, input.options().get("params"));
  }
}
