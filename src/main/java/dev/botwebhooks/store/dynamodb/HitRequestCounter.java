package dev.botwebhooks.store.dynamodb;

import dev.botwebhooks.core.RequestMeter;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Counts each HTTP request the SDK client sends, retries included, into the {@link RequestMeter}
 * of the calling thread: the synchronous client sends every attempt on the caller's thread, so a
 * hit's meter sees the requests of its store calls wherever they run.
 */
final class HitRequestCounter implements ExecutionInterceptor {
  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes attributes) {
    RequestMeter.countRequest();
  }
}
