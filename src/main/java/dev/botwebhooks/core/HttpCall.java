package dev.botwebhooks.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@code HTTP.get/post/put/delete/options} call of a run that committed: kept by the run's
 * commit, queued after it, and made once by whichever claims it first, the queue's executor or a
 * poll once it is due (README "Outbound HTTP calls").
 *
 * @param id unique per call, time-ordered by when it is due ({@link IdGenerator#timeOrderedId}),
 *     so that the store keeps calls in the order a poll takes them
 * @param hookId the hook of the run that queued it (for the callback's outbox and error log)
 * @param userId the user the callback runs as; null for none
 * @param baseUrl the API's base URL as the queuing hit saw it, for URLs the callback mints
 */
public record HttpCall(
    String id, String botId, String hookId, String userId, String baseUrl, Request request) {
  public HttpCall {
    if (IdGenerator.timeOf(id).isEmpty()) {
      throw new IllegalArgumentException("an outbound call's id starts with its due time: " + id);
    }
    Ids.requireBotId(botId);
    if (userId != null) {
      Ids.requireUserId(userId);
    }
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(request, "request");
  }

  public Optional<String> user() {
    return Optional.ofNullable(userId);
  }

  /** When a poll makes the call if the queue's executor has not claimed it by then. */
  public Instant dueAt() {
    return IdGenerator.timeOf(id).orElseThrow();
  }

  /**
   * What the script asked for.
   *
   * @param method GET, POST, PUT, DELETE or OPTIONS
   * @param headers request headers in order
   * @param body the body as text, or null
   * @param success the command string to run with the response, or null
   * @param error the command string to run when the call fails or is refused, or null
   * @param options the {@code options} the callback gets (what the script passed, as JSON)
   * @param gitImport whether the response is the bot's git archive to import before {@code
   *     success} runs ({@code Bot.importGit}, README "Importing from git")
   */
  public record Request(
      String method,
      String url,
      Map<String, String> headers,
      String body,
      boolean followRedirects,
      String success,
      String error,
      JsonNode options,
      boolean gitImport) {
    public Request {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(url, "url");
      headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
      Objects.requireNonNull(options, "options");
    }

    /** An {@code HTTP.*} call. */
    public Request(
        String method,
        String url,
        Map<String, String> headers,
        String body,
        boolean followRedirects,
        String success,
        String error,
        JsonNode options) {
      this(method, url, headers, body, followRedirects, success, error, options, false);
    }
  }
}
