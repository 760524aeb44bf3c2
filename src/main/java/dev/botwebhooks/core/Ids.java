package dev.botwebhooks.core;

import java.util.Optional;
import java.util.regex.Pattern;

/** The shapes that ids must have, so that none can break out of its key space in the store. */
public final class Ids {
  private static final Pattern BOT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern HOOK_ID = Pattern.compile("[A-Za-z0-9_-]{16,64}");
  private static final Pattern NUMERIC_ID = Pattern.compile("-?(0|[1-9][0-9]{0,14})");

  private Ids() {}

  public static boolean isBotId(String id) {
    return id != null && BOT_ID.matcher(id).matches();
  }

  public static boolean isUserId(String id) {
    return id != null && USER_ID.matcher(id).matches();
  }

  /**
   * The number a user or Telegram id is on Bots.Business, when its text is a safe integer written
   * the way a number prints ({@code "8"}, not {@code "08"}): scripts and API answers show such ids
   * as numbers, and the text comes back unchanged from the number.
   */
  public static Optional<Long> numeric(String id) {
    if (id == null || !NUMERIC_ID.matcher(id).matches() || id.equals("-0")) {
      return Optional.empty();
    }
    return Optional.of(Long.parseLong(id));
  }

  public static boolean isHookId(String id) {
    return id != null && HOOK_ID.matcher(id).matches();
  }

  public static String requireBotId(String id) {
    if (!isBotId(id)) {
      throw new IllegalArgumentException("bot id must be 1-64 of [A-Za-z0-9_-], got '" + id + "'");
    }
    return id;
  }

  public static String requireUserId(String id) {
    if (!isUserId(id)) {
      throw new IllegalArgumentException(
          "user id must be 1-64 of [A-Za-z0-9_-], got '" + id + "'");
    }
    return id;
  }
}
