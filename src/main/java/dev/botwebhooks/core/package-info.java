/**
 * The webhook core: the values the service works with and the ports it needs ({@link
 * dev.botwebhooks.core.Store} for storage, made of one interface per role, such as {@link
 * dev.botwebhooks.core.PropertyStore}, that a consumer takes alone; {@link
 * dev.botwebhooks.core.ScriptRuntime} for running commands). Nothing here imports AWS, Lambda or
 * Rhino.
 */
package dev.botwebhooks.core;
