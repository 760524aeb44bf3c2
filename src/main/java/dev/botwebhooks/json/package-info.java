/**
 * JSON for every package: the service's one Jackson mapper, with nesting limited so hostile JSON
 * stays cheap, and text that survives UTF-8.
 */
package dev.botwebhooks.json;
