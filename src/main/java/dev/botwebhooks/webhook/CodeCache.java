package dev.botwebhooks.webhook;

import dev.botwebhooks.core.Bot;
import dev.botwebhooks.core.BotCode;
import dev.botwebhooks.core.CodeStore;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The code of recently hit bots, kept across warm invocations and reloaded only when the bot's
 * code version moves, so a warm hit costs no query for its commands.
 */
final class CodeCache {
  private static final int MAX_BOTS = 256;

  private final CodeStore store;
  private final Map<String, BotCode> byBot =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, BotCode> eldest) {
          return size() > MAX_BOTS;
        }
      };

  CodeCache(CodeStore store) {
    this.store = store;
  }

  /**
   * Whether no code of this bot is kept: a hit's first reads may then bring it with the bot
   * (README "Performance").
   */
  boolean lacks(String botId) {
    synchronized (byBot) {
      return !byBot.containsKey(botId);
    }
  }

  /** Keeps code read with its bot, as if {@link #codeOf} had read it. */
  void keep(BotCode code) {
    synchronized (byBot) {
      byBot.put(code.botId(), code);
    }
  }

  BotCode codeOf(Bot bot) {
    synchronized (byBot) {
      BotCode cached = byBot.get(bot.id());
      if (cached != null && cached.version() == bot.codeVersion()) {
        return cached;
      }
    }
    BotCode loaded = store.code(bot.id());
    synchronized (byBot) {
      byBot.put(bot.id(), loaded);
    }
    return loaded;
  }
}
