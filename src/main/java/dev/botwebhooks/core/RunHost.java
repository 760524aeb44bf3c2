package dev.botwebhooks.core;

import java.util.Optional;

/**
 * What a running script may ask of the service. The bot is fixed by the host (taken from the
 * trusted hook record); a script can only name a property and, for user properties, a user of the
 * same bot. Property reads see the run's own earlier writes; writes are buffered until the run
 * commits.
 */
public interface RunHost {

  /** @param userId empty for a bot-wide property */
  Optional<PropertyValue> getProperty(Optional<String> userId, String name);

  /**
   * Buffers a write.
   *
   * @throws LimitExceededException when the value is over MAX_PROPERTY_BYTES
   * @throws InvalidRequestException when the name or user id is malformed
   */
  void setProperty(Optional<String> userId, String name, PropertyValue value);

  void deleteProperty(Optional<String> userId, String name);

  /**
   * Mints a hook for this bot, exactly as the API does.
   *
   * @return the hook's absolute URL
   * @throws InvalidRequestException when the request breaks a rule
   */
  String mint(MintRequest request);

  /**
   * Makes room for a {@code Bot.run} call in the run's commit, which keeps it in the schedule with
   * the run's effects (README "Reliability", follow-up runs).
   *
   * @throws LimitExceededException when the commit has no room left for it
   */
  void keepRun();

  /**
   * Queues an outbound call, to be made after the run commits (README "Outbound HTTP calls").
   *
   * @throws LimitExceededException past HTTP_CALLS_PER_RUN or HTTP_MAX_REQUEST_BYTES
   * @throws InvalidRequestException where outbound calls are not available
   */
  default void queueHttpCall(HttpCall.Request request) {
    throw new InvalidRequestException("HTTP", "HTTP is not available in webhook commands");
  }
}
