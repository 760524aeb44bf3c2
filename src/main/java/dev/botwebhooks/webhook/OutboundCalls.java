package dev.botwebhooks.webhook;

import dev.botwebhooks.core.HttpCallQueue;
import dev.botwebhooks.egress.EgressSettings;
import java.util.Optional;

/**
 * Whether a deployment's runs may make outbound calls, with which caps, and where committed runs
 * send them (README "Outbound HTTP calls").
 *
 * @param egress the caps; empty: {@code HTTP.*} is not available
 */
public record OutboundCalls(Optional<EgressSettings> egress, HttpCallQueue queue) {
  /** {@code HTTP.*} is not available. */
  public static final OutboundCalls NONE = new OutboundCalls(Optional.empty(), calls -> {});

  public static OutboundCalls to(HttpCallQueue queue, EgressSettings egress) {
    return new OutboundCalls(Optional.of(egress), queue);
  }
}
