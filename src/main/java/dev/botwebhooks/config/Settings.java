package dev.botwebhooks.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The deployment's configuration, read once from the environment when a function starts.
 * Every name in {@link Env} is also a variable in {@code template.yaml} and the local server.
 */
public record Settings(
    String tableName,
    Optional<String> dynamoDbEndpoint,
    Optional<String> region,
    Optional<String> adminKey,
    Optional<String> publicBaseUrl,
    String ipAllowlist,
    Limits limits,
    Duration deliveryRetention,
    HitLog hitLog) {

  /** How long a delivery id is remembered by default (README "Reliability"). */
  public static final Duration DEFAULT_DELIVERY_RETENTION = Duration.ofHours(24);

  public Settings {
    if (deliveryRetention.isNegative() || deliveryRetention.isZero()) {
      throw new IllegalArgumentException(
          Env.DELIVERY_RETENTION_SECONDS + " must be positive, got " + deliveryRetention.toSeconds());
    }
  }

  /** Settings with the request log's defaults. */
  public Settings(
      String tableName,
      Optional<String> dynamoDbEndpoint,
      Optional<String> region,
      Optional<String> adminKey,
      Optional<String> publicBaseUrl,
      String ipAllowlist,
      Limits limits,
      Duration deliveryRetention) {
    this(
        tableName, dynamoDbEndpoint, region, adminKey, publicBaseUrl, ipAllowlist, limits,
        deliveryRetention, HitLog.defaults());
  }

  /** Settings with the default delivery retention and the request log's defaults. */
  public Settings(
      String tableName,
      Optional<String> dynamoDbEndpoint,
      Optional<String> region,
      Optional<String> adminKey,
      Optional<String> publicBaseUrl,
      String ipAllowlist,
      Limits limits) {
    this(
        tableName,
        dynamoDbEndpoint,
        region,
        adminKey,
        publicBaseUrl,
        ipAllowlist,
        limits,
        DEFAULT_DELIVERY_RETENTION);
  }

  /** Environment variable names. */
  public static final class Env {
    public static final String TABLE_NAME = "TABLE_NAME";
    public static final String DYNAMODB_ENDPOINT = "DYNAMODB_ENDPOINT";
    public static final String AWS_REGION = "AWS_REGION";
    public static final String ADMIN_KEY = "ADMIN_KEY";
    public static final String PUBLIC_BASE_URL = "PUBLIC_BASE_URL";
    public static final String IP_ALLOWLIST = "IP_ALLOWLIST";
    public static final String SCRIPT_TIME_LIMIT_MS = "SCRIPT_TIME_LIMIT_MS";
    public static final String MAX_BODY_BYTES = "MAX_BODY_BYTES";
    public static final String MAX_MESSAGES = "MAX_MESSAGES";
    public static final String MAX_MESSAGE_CHARS = "MAX_MESSAGE_CHARS";
    public static final String MAX_RUN_DEPTH = "MAX_RUN_DEPTH";
    public static final String MAX_RUNS = "MAX_RUNS";
    public static final String MAX_PROPERTY_BYTES = "MAX_PROPERTY_BYTES";
    public static final String RATE_LIMIT_PER_MINUTE = "RATE_LIMIT_PER_MINUTE";
    public static final String MAX_OUTBOX_BYTES = "MAX_OUTBOX_BYTES";
    public static final String DELIVERY_RETENTION_SECONDS = "DELIVERY_RETENTION_SECONDS";
    public static final String HIT_LOG_RETENTION_DAYS = "HIT_LOG_RETENTION_DAYS";
    public static final String HIT_LOG_BODY_BYTES = "HIT_LOG_BODY_BYTES";
    public static final String HIT_LOG_REDACT_HEADERS = "HIT_LOG_REDACT_HEADERS";

    private Env() {}
  }

  public static final String DEFAULT_TABLE_NAME = "bot-webhooks";

  /**
   * The per-hit limits of README "Configuration". Each is named by its environment variable in
   * error-log entries, so a bot owner can see which one a failed run crossed.
   */
  public record Limits(
      Duration scriptTime,
      int maxBodyBytes,
      int maxMessages,
      int maxMessageChars,
      int maxRunDepth,
      int maxRuns,
      int maxPropertyBytes,
      int rateLimitPerMinute,
      int maxOutboxBytes) {

    public Limits {
      if (scriptTime.isNegative() || scriptTime.isZero()) {
        throw new IllegalArgumentException(
            Env.SCRIPT_TIME_LIMIT_MS + " must be positive, got " + scriptTime.toMillis());
      }
      positive(Env.MAX_BODY_BYTES, maxBodyBytes);
      positive(Env.MAX_MESSAGES, maxMessages);
      positive(Env.MAX_MESSAGE_CHARS, maxMessageChars);
      positive(Env.MAX_RUN_DEPTH, maxRunDepth);
      positive(Env.MAX_RUNS, maxRuns);
      positive(Env.MAX_PROPERTY_BYTES, maxPropertyBytes);
      positive(Env.RATE_LIMIT_PER_MINUTE, rateLimitPerMinute);
      positive(Env.MAX_OUTBOX_BYTES, maxOutboxBytes);
    }

    public static Limits defaults() {
      return new Limits(Duration.ofMillis(5000), 262144, 50, 4096, 8, 32, 65536, 600, 262144);
    }

    /** These limits with another rate limit. */
    public Limits withRateLimitPerMinute(int perMinute) {
      return new Limits(
          scriptTime, maxBodyBytes, maxMessages, maxMessageChars, maxRunDepth, maxRuns,
          maxPropertyBytes, perMinute, maxOutboxBytes);
    }

    private static void positive(String name, int value) {
      if (value <= 0) {
        throw new IllegalArgumentException(name + " must be positive, got " + value);
      }
    }
  }

  /**
   * The request log (README "The request log"): how long hits are kept, how much of a request or
   * answer body is kept, and which headers are redacted (always the built-in ones, plus these).
   */
  public record HitLog(Duration retention, int bodyBytes, List<String> redactHeaders) {
    public static final int MAX_BODY_BYTES = 65536;

    public HitLog {
      if (retention.isNegative() || retention.isZero()) {
        throw new IllegalArgumentException(
            Env.HIT_LOG_RETENTION_DAYS + " must be positive, got " + retention.toDays());
      }
      if (bodyBytes < 0 || bodyBytes > MAX_BODY_BYTES) {
        // Two bodies and the run's effects stay within one DynamoDB item (400 KB).
        throw new IllegalArgumentException(
            Env.HIT_LOG_BODY_BYTES + " must be 0-" + MAX_BODY_BYTES + ", got " + bodyBytes);
      }
      redactHeaders = List.copyOf(redactHeaders);
    }

    public static HitLog defaults() {
      return new HitLog(Duration.ofDays(7), 16384, List.of());
    }
  }

  /** Settings for tests and the embedded server: defaults, no endpoint, no admin key. */
  public static Settings defaults() {
    return new Settings(
        DEFAULT_TABLE_NAME,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        "",
        Limits.defaults());
  }

  public static Settings fromEnvironment() {
    return from(System.getenv());
  }

  /** Reads settings from a map of variables; blank values count as unset. */
  public static Settings from(Map<String, String> env) {
    Limits d = Limits.defaults();
    Limits limits =
        new Limits(
            Duration.ofMillis(
                integer(env, Env.SCRIPT_TIME_LIMIT_MS, (int) d.scriptTime().toMillis())),
            integer(env, Env.MAX_BODY_BYTES, d.maxBodyBytes()),
            integer(env, Env.MAX_MESSAGES, d.maxMessages()),
            integer(env, Env.MAX_MESSAGE_CHARS, d.maxMessageChars()),
            integer(env, Env.MAX_RUN_DEPTH, d.maxRunDepth()),
            integer(env, Env.MAX_RUNS, d.maxRuns()),
            integer(env, Env.MAX_PROPERTY_BYTES, d.maxPropertyBytes()),
            integer(env, Env.RATE_LIMIT_PER_MINUTE, d.rateLimitPerMinute()),
            integer(env, Env.MAX_OUTBOX_BYTES, d.maxOutboxBytes()));
    HitLog h = HitLog.defaults();
    HitLog hitLog =
        new HitLog(
            Duration.ofDays(integer(env, Env.HIT_LOG_RETENTION_DAYS, (int) h.retention().toDays())),
            integer(env, Env.HIT_LOG_BODY_BYTES, h.bodyBytes()),
            text(env, Env.HIT_LOG_REDACT_HEADERS).stream()
                .flatMap(v -> Arrays.stream(v.split(",")))
                .map(String::strip)
                .filter(v -> !v.isEmpty())
                .toList());
    return new Settings(
        text(env, Env.TABLE_NAME).orElse(DEFAULT_TABLE_NAME),
        text(env, Env.DYNAMODB_ENDPOINT),
        text(env, Env.AWS_REGION),
        text(env, Env.ADMIN_KEY),
        text(env, Env.PUBLIC_BASE_URL),
        text(env, Env.IP_ALLOWLIST).orElse(""),
        limits,
        Duration.ofSeconds(
            integer(
                env,
                Env.DELIVERY_RETENTION_SECONDS,
                (int) DEFAULT_DELIVERY_RETENTION.toSeconds())),
        hitLog);
  }

  public Settings withLimits(Limits newLimits) {
    return new Settings(
        tableName,
        dynamoDbEndpoint,
        region,
        adminKey,
        publicBaseUrl,
        ipAllowlist,
        newLimits,
        deliveryRetention,
        hitLog);
  }

  private static Optional<String> text(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  private static int integer(Map<String, String> env, String name, int fallback) {
    Optional<String> value = text(env, name);
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.get());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + " must be an integer, got '" + value.get() + "'", e);
    }
  }
}
