package dev.botwebhooks.store.dynamodb;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Counts the HTTP requests one SDK client sends, per calling thread: the synchronous client sends
 * each attempt on the caller's thread, so a hit can read how many DynamoDB requests it made.
 */
final class ThreadRequestCounter implements ExecutionInterceptor {
  private final ThreadLocal<long[]> count = ThreadLocal.withInitial(() -> new long[1]);

  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes attributes) {
    count.get()[0]++;
  }

  /** Counts requests another thread sent on behalf of the calling thread. */
  void add(long sent) {
    count.get()[0] += sent;
  }

  /** Requests sent from the calling thread since it first used the client. */
  long ofThisThread() {
    return count.get()[0];
  }
}
