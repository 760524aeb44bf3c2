/**
 * The webhook hit path: {@link dev.botwebhooks.webhook.WebhookEndpoint} reads the HTTP request,
 * {@link dev.botwebhooks.webhook.HitService} loads the hook and the bot's code, runs the command
 * chain, commits its effects (re-running it on a conflict) and runs the chained {@code Bot.run}
 * calls; the outcome is mapped to status, headers and body in one place.
 */
package dev.botwebhooks.webhook;
