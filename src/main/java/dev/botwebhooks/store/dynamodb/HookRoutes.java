package dev.botwebhooks.store.dynamodb;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The bot and user of hooks this process has read. Neither ever changes for a hook (a revoke
 * deletes the hook, which the next read sees), so knowing them in advance is safe and lets a hit
 * read the hook, its bot and its user in one request.
 */
final class HookRoutes {
  private static final int MAX_HOOKS = 16_384;

  /** Whose hook it is. */
  record Route(String botId, Optional<String> user) {}

  private final Map<String, Route> byHook =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Route> eldest) {
          return size() > MAX_HOOKS;
        }
      };

  synchronized Optional<Route> get(String hookId) {
    return Optional.ofNullable(byHook.get(hookId));
  }

  synchronized void put(String hookId, Route route) {
    byHook.put(hookId, route);
  }
}
