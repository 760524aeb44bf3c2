package dev.botwebhooks.http;

/** Answers HTTP requests: the webhook endpoint and the bot API both are one. */
@FunctionalInterface
public interface HttpEndpoint {
  /** Never throws: every failure is answered with a fixed JSON error body. */
  HttpResponse handle(HttpRequest request);
}
