package dev.botwebhooks.webhook;

/**
 * What one hit learned along the way, for its log line: filled in as the hit goes, read once at
 * the end. Used by one thread only.
 */
final class HitTrace {
  String hookId;
  String botId;
  /** The hit's request-log id, once its hook and bot are known. */
  String hitId;
  String limit;
  int attempts;
  long storeRequests;
}
