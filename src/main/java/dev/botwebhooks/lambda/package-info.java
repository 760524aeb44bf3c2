/**
 * The AWS Lambda entry points: the only package that knows the Lambda runtime interfaces and the
 * API Gateway / function URL event formats. Handlers here translate an event into an {@link
 * dev.botwebhooks.http.HttpRequest}, hand it to an endpoint, and translate the answer back.
 */
package dev.botwebhooks.lambda;
