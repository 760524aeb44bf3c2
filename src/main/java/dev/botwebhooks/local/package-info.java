/**
 * Running the service on a workstation: {@link dev.botwebhooks.local.LocalServer} stands in for API
 * Gateway (same payload 2.0 events, same routes as {@code template.yaml}) in front of the real
 * handlers, and {@link dev.botwebhooks.local.Invoke} runs one sample event, like {@code sam local
 * invoke}. Nothing here is deployed to Lambda.
 */
package dev.botwebhooks.local;
