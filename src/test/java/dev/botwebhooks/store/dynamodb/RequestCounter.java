package dev.botwebhooks.store.dynamodb;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts the DynamoDB requests an SDK client sends, by operation name ({@code GetItem}, {@code
 * TransactWriteItems}...). Every HTTP attempt counts, retries included, as the server would count
 * them.
 */
public final class RequestCounter implements ExecutionInterceptor {
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes attributes) {
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    counts.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
  }

  /** Requests of this operation since the last reset. */
  public long count(String operation) {
    AtomicLong n = counts.get(operation);
    return n == null ? 0 : n.get();
  }

  /** All requests since the last reset. */
  public long total() {
    return counts.values().stream().mapToLong(AtomicLong::get).sum();
  }

  /** Counts by operation, sorted by name, for readable assertion messages. */
  public Map<String, Long> snapshot() {
    Map<String, Long> copy = new TreeMap<>();
    counts.forEach((k, v) -> copy.put(k, v.get()));
    return copy;
  }

  public void reset() {
    counts.clear();
  }
}
