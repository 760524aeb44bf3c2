/**
 * Storage: the in-memory {@link dev.botwebhooks.store.MemoryStore} (the embedded default) here, and
 * the DynamoDB store in {@code store.dynamodb}, the only package that imports the DynamoDB SDK.
 */
package dev.botwebhooks.store;
