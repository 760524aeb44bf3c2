package dev.botwebhooks.webhook;

import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.OutboxEntry;
import dev.botwebhooks.core.RunResult;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The outbox entries of a completed run: its messages and recorded API calls, in order. */
final class OutboxEntries {
  private OutboxEntries() {}

  static List<OutboxEntry> of(
      RunResult.Completed completed,
      String botId,
      Optional<String> user,
      String hookId,
      Clock clock,
      IdGenerator ids) {
    Instant at = clock.instant();
    String userId = user.orElse(null);
    List<OutboxEntry> entries = new ArrayList<>();
    for (RunResult.Output output : completed.outputs()) {
      String id = ids.timeOrderedId(at);
      if (output instanceof RunResult.Output.Message m) {
        entries.add(
            new OutboxEntry(
                id, botId, userId, OutboxEntry.Kind.MESSAGE, m.text(), m.keyboard(), null, null,
                hookId, at));
      } else if (output instanceof RunResult.Output.ApiCall call) {
        entries.add(
            new OutboxEntry(
                id, botId, userId, OutboxEntry.Kind.API_CALL, null, null, call.method(),
                call.params(), hookId, at));
      }
    }
    return entries;
  }
}
