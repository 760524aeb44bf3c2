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
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Where a hit's delivery id is found: README "Reliability". */
class DeliveryIdsTest {
  private static final String HOOK_ID = "h".repeat(22);
  private static final Set<String> REDACTED = Set.of("x-api-key", "x-secret-delivery");

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

  /**
   * One number is one delivery however the provider writes it, as the command sees one number;
   * long integers keep every digit, so two order ids past 2^53 stay two deliveries.
   */
  @Test
  void hooksOwnKey_aNumberIsItsValue_howeverItIsWritten() {
    Webhook byBody = withKey("body.order_id");
    for (String written : new String[] {"1", "1.0", "1e0", "10e-1", "\"1\""}) {
      assertThat(id(byBody, "{\"order_id\":" + written + "}")).as(written).contains("body.order_id:1");
    }
    assertThat(id(byBody, "{\"order_id\":1e1}")).contains("body.order_id:10");
    assertThat(id(byBody, "{\"order_id\":-0}")).contains("body.order_id:0");
    assertThat(id(byBody, "{\"order_id\":-0.0}")).contains("body.order_id:0");
    assertThat(id(byBody, "{\"order_id\":2.50}")).contains("body.order_id:2.5");
    assertThat(id(byBody, "{\"order_id\":12345678901234567891}"))
        .contains("body.order_id:12345678901234567891");
    assertThat(id(byBody, "{\"order_id\":1e999}")).contains("body.order_id:Infinity");
    assertThat(id(byBody, "{\"order_id\":true}")).contains("body.order_id:true");
  }

  /**
   * JSON labelled as a form ({@code curl -d} without a type) is JSON: its key finds the field, so
   * a retried payment is the same delivery; a form's parameters still count as before.
   */
  @Test
  void hooksOwnKey_findsTheFieldOfJsonSentAsAForm() {
    String form = "application/x-www-form-urlencoded";
    assertThat(id(withKey("body.order_id"), "{\"amount\":1,\"order_id\":501}", "Content-Type", form))
        .contains("body.order_id:501");
    assertThat(id(withKey("body.order_id"), "order_id=502&amount=1", "Content-Type", form))
        .contains("body.order_id:502");
    assertThat(id(withKey("body.order_id"), "{not json&order_id=503", "Content-Type", form))
        .contains("body.order_id:503");
  }

  @Test
  void longIds_areKeptAsTheirHash_withinARecordsLimit() {
    String value = "v".repeat(1000);
    Optional<String> id = id(plain(), "", "Idempotency-Key", value);
    assertThat(id).hasValueSatisfying(v -> assertThat(v).startsWith("sha256:").hasSizeLessThan(60));
    assertThat(id(plain(), "", "Idempotency-Key", value)).isEqualTo(id);
    assertThat(id.get().length()).isLessThanOrEqualTo(Delivery.MAX_ID_CHARS);
  }

  /** A JSON null is no id (as a missing field), not the text "null" that every such event shares. */
  @Test
  void hooksOwnKey_nullIsNoId() {
    Webhook byBody = withKey("body.order_id");
    assertThat(id(byBody, "{\"order_id\":null,\"type\":\"a\"}")).isEmpty();
    assertThat(id(withKey("body.data.order_id"), "{\"data\":{\"order_id\":null}}")).isEmpty();
    assertThat(id(byBody, "{\"order_id\":\"null\"}")).contains("body.order_id:null");
    assertThat(id(byBody, "{\"order_id\":null}", "Idempotency-Key", "k1"))
        .contains("idempotency-key:k1");
  }

  /** An id read from a header the log redacts is kept as its SHA-256: no record holds it. */
  @Test
  void idsFromRedactedHeaders_areKeptAsTheirHash() {
    Optional<String> own = id(withKey("header.X-Api-Key"), "", "X-Api-Key", "sk_live_1");
    assertThat(own).hasValueSatisfying(v -> assertThat(v).startsWith("sha256:").doesNotContain("sk_live_1"));
    assertThat(id(withKey("header.X-Api-Key"), "", "X-Api-Key", "sk_live_1")).isEqualTo(own);
    assertThat(id(withKey("header.X-Api-Key"), "", "X-Api-Key", "sk_live_2")).isNotEqualTo(own);
    assertThat(id(withKey("header.X-Txn"), "", "X-Txn", "T-7")).contains("header.X-Txn:T-7");
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
    return DeliveryIds.of(request, hook, input.options().get("params"), REDACTED);
  }
}
