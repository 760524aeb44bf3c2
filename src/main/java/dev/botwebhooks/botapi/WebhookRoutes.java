package dev.botwebhooks.botapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.core.CodeStore;
import dev.botwebhooks.core.Ids;
import dev.botwebhooks.core.MintRequest;
import dev.botwebhooks.core.MintedWebhook;
import dev.botwebhooks.core.Minter;
import dev.botwebhooks.core.WebhookStore;
import dev.botwebhooks.http.HttpRequest;
import dev.botwebhooks.http.HttpResponse;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /bots/{botId}/webhooks}: mint (through the same {@link Minter} that scripts' {@code
 * Libs.Webhooks} use), list and revoke hooks. Expired hooks still list, with their {@code
 * expires_at}, until revoked.
 */
final class WebhookRoutes {
  private static final Set<String> FIELDS =
      Set.of("command", "content", "user_id", "redirect_to", "expires_in", "delivery_key");

  private final WebhookStore store;
  private final Minter minter;
  private final Optional<String> publicBaseUrl;
  private final CodeStore code;

  WebhookRoutes(
      WebhookStore store, CodeStore code, Minter minter, Optional<String> publicBaseUrl) {
    this.store = store;
    this.code = code;
    this.minter = minter;
    this.publicBaseUrl = publicBaseUrl;
  }

  HttpResponse mint(ApiCall call) {
    ObjectNode body = call.jsonObject();
    Fields.requireOnly(body, FIELDS);
    MintRequest request =
        new MintRequest(
            Fields.requiredString(body, "command"),
            Fields.optionalString(body, "content"),
            Fields.optionalUserId(body, "user_id"),
            Fields.optionalString(body, "redirect_to"),
            Fields.optionalWholeNumber(body, "expires_in"),
            Fields.optionalString(body, "delivery_key"));
    // Refused now rather than at every hit: a hook for a command the bot lacks can only fail
    // (after the fields' own rules, so that a bad redirect_to is named as such).
    request.redirectTo().ifPresent(Minter::redirectTarget);
    // The hook keeps the command trimmed (Minter), as uploads trim names.
    if (!code.code(call.botId()).mayRun(request.command().trim())) {
      throw ApiException.badRequest(
          "command '" + request.command() + "' is not a command of this bot: upload it first");
    }
    MintedWebhook minted = minter.mint(call.botId(), request, baseUrl(call.request()));
    return HttpResponse.json(201, Shapes.webhook(minted.webhook(), baseUrl(call.request())));
  }

  HttpResponse list(ApiCall call) {
    String base = baseUrl(call.request());
    return HttpResponse.json(
        200, Shapes.page(store.webhooks(call.botId(), call.page()), w -> Shapes.webhook(w, base)));
  }

  HttpResponse revoke(ApiCall call) {
    String id = call.param("id");
    if (!Ids.isHookId(id) || !store.revokeWebhook(call.botId(), id)) {
      throw ApiException.notFound("no such webhook");
    }
    return Responses.noContent();
  }

  private String baseUrl(HttpRequest request) {
    return publicBaseUrl.orElse(request.baseUrl());
  }
}
