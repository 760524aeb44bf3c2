package dev.botwebhooks.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** How a run ended. All text in here was converted to Java by the runtime itself. */
public sealed interface RunResult {

  /**
   * The chain returned.
   *
   * @param outputs messages and recorded API calls, in order
   * @param rendered what {@code WebApp.render} asked for last, if it was called
   * @param deferred {@code Bot.run} calls, in call order, to run after this chain commits
   * @param runsUsed runs made in the hit so far, this one's included
   * @param messagesUsed messages sent in the hit so far, this one's included
   */
  record Completed(
      List<Output> outputs,
      Optional<Rendered> rendered,
      List<DeferredRun> deferred,
      int runsUsed,
      int messagesUsed)
      implements RunResult {
    public Completed {
      outputs = List.copyOf(outputs);
      deferred = List.copyOf(deferred);
    }

    /** The text of the last message, which becomes the HTTP answer. */
    public Optional<String> lastMessage() {
      for (int i = outputs.size() - 1; i >= 0; i--) {
        if (outputs.get(i) instanceof Output.Message m) {
          return Optional.of(m.text());
        }
      }
      return Optional.empty();
    }
  }

  /**
   * The chain threw, ran out of time or crossed a limit or a sandbox rule.
   *
   * @param message what went wrong, for the bot's error log (never for the HTTP caller)
   * @param limit the environment variable of the crossed limit, if that is why
   */
  record Failed(String message, Optional<String> limit) implements RunResult {}

  /**
   * The store failed while the run read or minted (unreachable, timed out or throttled past its
   * retries): the run was ended at once, and the hit answers 503 with {@code Retry-After}.
   *
   * @param message what failed, for the service's log
   */
  record StoreUnavailable(String message) implements RunResult {}

  /** Something a script sent. */
  sealed interface Output {
    /**
     * {@code Bot.sendMessage} and the keyboard calls.
     *
     * @param keyboard the keyboard, or the options passed as second argument, or null
     */
    record Message(String text, JsonNode keyboard) implements Output {}

    /** A Telegram API call, recorded but not executed. */
    record ApiCall(String method, JsonNode params) implements Output {}
  }

  /** What {@code WebApp.render} asked for; mimeType is one of the allowed ones. */
  record Rendered(String content, String mimeType) {}

  /**
   * A {@code Bot.run} call.
   *
   * @param message the command string (name and params)
   * @param options the {@code options} the run gets
   * @param userId the user to run as; empty: the current user
   * @param runAfter zero to run in this request, else a delay
   */
  record DeferredRun(
      String message, JsonNode options, Optional<String> userId, Duration runAfter, String label) {}
}
