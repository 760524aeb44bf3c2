/**
 * The bot-facing API (README "The bot API"): {@link dev.botwebhooks.botapi.BotApi} holds the route
 * table and answers every failure as a JSON error; one class per resource handles its routes.
 *
 * <p>Access: {@code GET} and {@code POST /bots} and {@code DELETE /bots/{botId}} take the
 * deployment's admin key ({@code ADMIN_KEY}; without one, they are refused with 403). Every {@code /bots/{botId}/...} route takes that bot's key,
 * {@code <botId>.<secret>}, of which only the SHA-256 is stored; the admin key is also accepted
 * there, so an operator can read any bot's logs. A missing, malformed or wrong key is a 401 with
 * {@code WWW-Authenticate: Bearer}; another bot's key is a 404, as for a bot that does not exist.
 *
 * <p>Input: JSON bodies with a field the route does not know are refused (400), so a misspelt
 * {@code redirect_url} fails loudly instead of minting a hook without its redirect. Command and
 * library uploads are text; JSON content types are refused (415).
 */
package dev.botwebhooks.botapi;
