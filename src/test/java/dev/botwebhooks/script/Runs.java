package dev.botwebhooks.script;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.BotCode;
import dev.botwebhooks.core.BotUser;
import dev.botwebhooks.core.Command;
import dev.botwebhooks.core.Library;
import dev.botwebhooks.core.RunRequest;
import dev.botwebhooks.core.RunResult;
import dev.botwebhooks.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Small builders for runtime tests. */
final class Runs {
  private Runs() {}

  static Settings.Limits limits(long timeMs) {
    Settings.Limits d = Settings.Limits.defaults();
    return new Settings.Limits(
        Duration.ofMillis(timeMs),
        d.maxBodyBytes(),
        5,
        300,
        3,
        6,
        d.maxPropertyBytes(),
        d.rateLimitPerMinute(),
        d.maxOutboxBytes());
  }

  static Command cmd(String name, String source) {
    return new Command(name, List.of(), source, 1);
  }

  /** A bot's code: commands as name/source pairs, then libraries. */
  static BotCode code(String botId, List<Command> commands, List<Library> libs) {
    return new BotCode(botId, 1, commands, libs);
  }

  static BotCode code(String botId, Command... commands) {
    return new BotCode(botId, 1, List.of(commands), List.of());
  }

  static RunRequest request(BotCode code, String message, long timeMs) {
    return request(code, message, Json.object(), timeMs);
  }

  static RunRequest request(BotCode code, String message, JsonNode options, long timeMs) {
    return new RunRequest(
        code,
        "Test bot",
        message,
        "the content",
        options,
        Optional.of(new BotUser(code.botId(), "42", "4242", "Ann", null, "ann")),
        Instant.now().plusMillis(timeMs),
        0,
        0);
  }

  static RunRequest global(BotCode code, String message, long timeMs) {
    RunRequest r = request(code, message, timeMs);
    return new RunRequest(
        r.code(), r.botName(), r.message(), r.content(), r.options(), Optional.empty(),
        r.deadline(), 0, 0);
  }

  static List<String> texts(RunResult result) {
    List<String> out = new ArrayList<>();
    if (result instanceof RunResult.Completed c) {
      for (RunResult.Output o : c.outputs()) {
        if (o instanceof RunResult.Output.Message m) {
          out.add(m.text());
        }
      }
    }
    return out;
  }
}
