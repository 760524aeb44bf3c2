package dev.botwebhooks.botapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.core.HitRecord;

/** Runs a logged hit again: dry (nothing written, sent or queued) or for real. */
@FunctionalInterface
public interface HitReplayer {
  /** The replay's report, as {@code POST /bots/{botId}/hits/{hitId}/replay} answers it. */
  ObjectNode replay(HitRecord hit, boolean commit);
}
