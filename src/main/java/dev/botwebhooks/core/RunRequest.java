package dev.botwebhooks.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One run of a command chain.
 *
 * @param code the bot's commands and libraries
 * @param botName shown to scripts as {@code bot.name}
 * @param message the command string: the command name, then optional params after a space
 * @param content the {@code content} global
 * @param options the {@code options} global: a JSON object
 * @param user the {@code user} global; empty for a global hook
 * @param deadline when the whole hit's time is spent; the run fails past it
 * @param runsBefore runs already made in this hit (counted against MAX_RUNS)
 * @param messagesBefore messages already sent in this hit (counted against MAX_MESSAGES)
 * @param reply for the callback of an outbound call: {@code http_status}, {@code http_headers}
 *     and {@code cookies}
 * @param byCommand whether another command started this run ({@code Bot.run}, an outbound call's
 *     callback): {@code completed_commands_count} then starts at 1, as on Bots.Business, where a
 *     command that returns when it is 0 can be reached that way and not by a user
 */
public record RunRequest(
    BotCode code,
    String botName,
    String message,
    String content,
    JsonNode options,
    Optional<BotUser> user,
    Instant deadline,
    int runsBefore,
    int messagesBefore,
    Optional<HttpReply> reply,
    boolean byCommand) {
  public RunRequest {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(botName, "botName");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(reply, "reply");
  }

  /** A run of a hook's own command. */
  public RunRequest(
      BotCode code,
      String botName,
      String message,
      String content,
      JsonNode options,
      Optional<BotUser> user,
      Instant deadline,
      int runsBefore,
      int messagesBefore) {
    this(
        code, botName, message, content, options, user, deadline, runsBefore, messagesBefore,
        Optional.empty(), false);
  }

  public String botId() {
    return code.botId();
  }
}
