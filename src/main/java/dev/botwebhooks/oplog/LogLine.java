package dev.botwebhooks.oplog;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One request or run, as its log line tells it. Only ids, names, numbers and categories: never
 * keys, bodies or messages a script wrote.
 *
 * @param kind {@code hit}, {@code api}, {@code scheduled} or {@code queued}
 * @param requestId the request's id (or the run's)
 * @param botId the bot, once known and authenticated; a metric dimension
 * @param status the HTTP status answered, if the request was HTTP
 * @param failure why it failed, if it did
 * @param reason the limit crossed or the kind of error (e.g. {@code TypeError}), if it failed
 * @param durationMillis from start to answer
 * @param storeRequests requests sent to DynamoDB, retries included
 * @param details further fields (e.g. {@code hook_id}, {@code method}, {@code attempts})
 */
public record LogLine(
    String kind,
    String requestId,
    Optional<String> botId,
    Optional<Integer> status,
    Optional<Failure> failure,
    Optional<String> reason,
    long durationMillis,
    long storeRequests,
    Map<String, Object> details) {

  public LogLine {
    details = new LinkedHashMap<>(details);
  }

  /** The failure category an HTTP status implies when nothing more is known (5xx: ours). */
  public static Optional<Failure> ofStatus(int status) {
    if (status == 413 || status == 429) {
      return Optional.of(Failure.LIMIT);
    }
    if (status == 503) {
      return Optional.of(Failure.STORE);
    }
    return status >= 500 ? Optional.of(Failure.INTERNAL) : Optional.empty();
  }
}
