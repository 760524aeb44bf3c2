package dev.botwebhooks.oplog;

/** Why a request or run failed, as an operator sorts failures (README "Operator logs and metrics"). */
public enum Failure {
  /** The bot's command threw, or broke a sandbox rule: the bot owner's to fix. */
  COMMAND("command", "CommandFailures"),
  /** A limit was crossed: a run's limit, the body size or the rate limit. */
  LIMIT("limit", "LimitFailures"),
  /** DynamoDB was unreachable, slow or throttled past its retries. */
  STORE("store", "StoreFailures"),
  /** A bug of ours. */
  INTERNAL("internal", "InternalFailures");

  private final String category;
  private final String metric;

  Failure(String category, String metric) {
    this.category = category;
    this.metric = metric;
  }

  /** The {@code failure} field of a log line. */
  public String category() {
    return category;
  }

  /** The metric that counts this category. */
  public String metric() {
    return metric;
  }
}
