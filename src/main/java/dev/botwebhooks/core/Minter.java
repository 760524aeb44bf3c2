package dev.botwebhooks.core;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * Mints webhook URLs. The bot API and scripts' {@code Libs.Webhooks} both come here, so a hook
 * minted either way is validated and stored the same.
 */
public final class Minter {
  public static final int MAX_COMMAND_CHARS = 1024;
  public static final int MAX_CONTENT_CHARS = 65536;
  public static final int MAX_URL_CHARS = 2048;
  public static final long MAX_EXPIRES_IN_SECONDS = 10L * 366 * 24 * 3600;
  public static final String HOOKS_PATH = "/hooks/";

  private final WebhookStore store;
  private final IdGenerator ids;
  private final Clock clock;

  public Minter(WebhookStore store, IdGenerator ids, Clock clock) {
    this.store = Objects.requireNonNull(store);
    this.ids = Objects.requireNonNull(ids);
    this.clock = Objects.requireNonNull(clock);
  }

  /**
   * Removes a hook this minter stored for a run whose effects were dropped (README "What a run
   * keeps"); whether it was there.
   */
  public boolean unmint(String botId, String hookId) {
    return store.revokeWebhook(botId, hookId);
  }

  /**
   * Validates and stores a new hook for this bot, and returns it with its URL under {@code
   * baseUrl} (scheme, host and any stage prefix, without a trailing slash).
   *
   * @throws InvalidRequestException naming the field and the rule it breaks
   */
  public MintedWebhook mint(String botId, MintRequest request, String baseUrl) {
    String command = request.command();
    if (command == null || command.isBlank()) {
      throw new InvalidRequestException("command", "command is required and must not be blank");
    }
    if (command.length() > MAX_COMMAND_CHARS) {
      throw new InvalidRequestException(
          "command", "command must be at most " + MAX_COMMAND_CHARS + " characters");
    }
    String content = request.content().orElse(null);
    if (content != null && content.length() > MAX_CONTENT_CHARS) {
      throw new InvalidRequestException(
          "content", "content must be at most " + MAX_CONTENT_CHARS + " characters");
    }
    String userId = request.userId().orElse(null);
    if (userId != null && !Ids.isUserId(userId)) {
      throw new InvalidRequestException("user_id", "user_id must be 1-64 of [A-Za-z0-9_-]");
    }
    URI redirect = request.redirectTo().map(Minter::redirectTarget).orElse(null);
    Instant now = clock.instant();
    Instant expiresAt = null;
    if (request.expiresInSeconds().isPresent()) {
      long seconds = request.expiresInSeconds().get();
      if (seconds < 1 || seconds > MAX_EXPIRES_IN_SECONDS) {
        throw new InvalidRequestException(
            "expires_in", "expires_in must be 1-" + MAX_EXPIRES_IN_SECONDS + " seconds");
      }
      expiresAt = now.plus(Duration.ofSeconds(seconds));
    }
    DeliveryKey deliveryKey = request.deliveryKey().map(DeliveryKey::parse).orElse(null);
    Webhook hook =
        new Webhook(
            ids.randomId(),
            botId,
            command.trim(),
            userId,
            content,
            redirect,
            expiresAt,
            now,
            deliveryKey);
    store.putWebhook(hook);
    return new MintedWebhook(hook, urlOf(baseUrl, hook.id()));
  }

  public static String urlOf(String baseUrl, String hookId) {
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    return base + HOOKS_PATH + hookId;
  }

  /** An absolute http(s) URL without credentials or control characters, else a 400. */
  public static URI redirectTarget(String text) {
    if (text.length() > MAX_URL_CHARS) {
      throw new InvalidRequestException(
          "redirect_to", "redirect_to must be at most " + MAX_URL_CHARS + " characters");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f || Character.isWhitespace(c)) {
        throw new InvalidRequestException(
            "redirect_to", "redirect_to must not contain control characters or spaces");
      }
    }
    // Half of a UTF-16 pair has no UTF-8 form, so no Location header could carry it.
    if (Utf16.hasLoneSurrogate(text)) {
      throw new InvalidRequestException(
          "redirect_to", "redirect_to must not contain half of a UTF-16 surrogate pair");
    }
    int schemeEnd = text.indexOf("://");
    String authority = schemeEnd < 0 ? "" : text.substring(schemeEnd + 3).split("[/?#]", 2)[0];
    if (!authority.chars().allMatch(c -> c < 0x7f)) {
      throw new InvalidRequestException(
          "redirect_to",
          "redirect_to's host must be ASCII: write an international domain name in its xn--"
              + " (punycode) form");
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new InvalidRequestException("redirect_to", "redirect_to is not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute()
        || !(scheme.equals("http") || scheme.equals("https"))
        || uri.getHost() == null) {
      throw new InvalidRequestException(
          "redirect_to", "redirect_to must be an absolute http or https URL");
    }
    if (uri.getRawUserInfo() != null) {
      throw new InvalidRequestException("redirect_to", "redirect_to must not carry credentials");
    }
    // java.net.URI takes any digits as a port (-1 when there is none).
    if (uri.getPort() == 0 || uri.getPort() > 65535) {
      throw new InvalidRequestException("redirect_to", "redirect_to's port must be 1-65535");
    }
    return uri;
  }
}
