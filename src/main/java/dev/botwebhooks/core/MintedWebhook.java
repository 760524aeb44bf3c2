package dev.botwebhooks.core;

/** A stored webhook and its absolute URL. */
public record MintedWebhook(Webhook webhook, String url) {}
