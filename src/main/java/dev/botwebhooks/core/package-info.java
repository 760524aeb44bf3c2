/**
 * The webhook core: the values the service works with and the ports it needs ({@link
 * dev.botwebhooks.core.Store} for storage, {@link dev.botwebhooks.core.ScriptRuntime} for running
 * commands). Nothing here imports AWS, Lambda or Rhino.
 */
package dev.botwebhooks.core;
