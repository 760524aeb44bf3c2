/**
 * Operator logs: one JSON line per request or run of every function, with its failure category and
 * CloudWatch Embedded Metric Format metrics, never keys or bodies (README "Operator logs and
 * metrics").
 */
package dev.botwebhooks.oplog;
