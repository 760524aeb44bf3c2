package dev.botwebhooks.botapi;

import dev.botwebhooks.core.Bot;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.Ids;
import dev.botwebhooks.core.BotStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Bot API keys: {@code <botId>.<secret>} with a 256-bit secret, so that a key names its bot and no
 * index of keys is needed. Only the SHA-256 of the whole key is stored, and hashes are compared in
 * constant time.
 */
public final class ApiKeys {
  static final int SECRET_BYTES = 32;
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.-]{1,256}");
  // Compared against when the key's bot does not exist, so that both paths hash and compare.
  private static final String NO_HASH = sha256Hex("no bot has this key");

  private final BotStore store;
  private final IdGenerator ids;

  ApiKeys(BotStore store, IdGenerator ids) {
    this.store = store;
    this.ids = ids;
  }

  /** A new key for this bot; the caller shows it once and stores only {@link #sha256Hex}. */
  String newKey(String botId) {
    return botId + "." + ids.random(SECRET_BYTES);
  }

  /** The bot whose key this is, if it is one. */
  Optional<Bot> botFor(String key) {
    if (!KEY.matcher(key).matches()) {
      return Optional.empty();
    }
    int dot = key.indexOf('.');
    String botId = dot < 0 ? "" : key.substring(0, dot);
    Optional<Bot> bot = Ids.isBotId(botId) ? store.bot(botId) : Optional.empty();
    String expected = bot.map(Bot::apiKeyHash).orElse(NO_HASH);
    boolean same = sameHash(sha256Hex(key), expected);
    return same && bot.isPresent() ? bot : Optional.empty();
  }

  /** Whether {@code presented} is the admin key, compared in constant time through hashes. */
  static boolean isAdminKey(String presented, String adminKey) {
    return sameHash(sha256Hex(presented), sha256Hex(adminKey));
  }

  public static String sha256Hex(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static boolean sameHash(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }
}
