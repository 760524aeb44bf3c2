/**
 * The queue between a committed run and its outbound calls in AWS (README "Outbound HTTP calls"):
 * calls as SQS message bodies, sent by the functions whose runs queue them and read by {@code
 * HttpCallFunction}. Nothing here makes a call.
 */
package dev.botwebhooks.queue;
