/**
 * Plain HTTP request and response values, shared by the webhook endpoint, the bot API, the Lambda
 * handlers (which translate API Gateway events to and from them) and the local server.
 */
package dev.botwebhooks.http;
