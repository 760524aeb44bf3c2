package dev.botwebhooks.store.dynamodb;

import dev.botwebhooks.core.StoreUnavailableException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.IdempotentParameterMismatchException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionInProgressException;

/**
 * Runs SDK calls, one at a time when asked to, and maps their failures: unreachable, timed out,
 * throttled or failing DynamoDB is {@link StoreUnavailableException}; a request DynamoDB refuses is
 * a bug here, so IllegalStateException.
 */
final class SdkCalls {
  private final Optional<Duration> serialize;
  private final ReentrantLock turn = new ReentrantLock(true);

  /**
   * @param serialize when present, calls run one at a time, each waiting at most this long for its
   *     turn (then {@link StoreUnavailableException})
   */
  SdkCalls(Optional<Duration> serialize) {
    this.serialize = Objects.requireNonNull(serialize, "serialize");
  }

  <T> T call(String what, Supplier<T> operation) {
    if (serialize.isPresent()) {
      try {
        if (!turn.tryLock(serialize.get().toMillis(), TimeUnit.MILLISECONDS)) {
          throw new StoreUnavailableException("DynamoDB busy: no turn to " + what, null);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreUnavailableException("interrupted waiting to " + what, e);
      }
      try {
        return mapped(what, operation);
      } finally {
        turn.unlock();
      }
    }
    return mapped(what, operation);
  }

  /**
   * The same for a TransactWriteItems: its cancellation is the caller's to interpret, so it passes
   * through unmapped.
   */
  <T> T transaction(String what, Supplier<T> operation) {
    return call(
        what,
        () -> {
          try {
            return operation.get();
          } catch (TransactionCanceledException e) {
            throw new Cancelled(e);
          }
        });
  }

  private static <T> T mapped(String what, Supplier<T> operation) {
    try {
      return operation.get();
    } catch (Cancelled c) {
      throw (TransactionCanceledException) c.getCause();
    } catch (IdempotentParameterMismatchException e) {
      throw new IllegalStateException(
          "commit token reused for different effects; use a fresh token per run", e);
    } catch (AwsServiceException e) {
      if (e.isThrottlingException()
          || e.statusCode() >= 500
          || e instanceof ResourceNotFoundException
          || e instanceof TransactionInProgressException) {
        throw new StoreUnavailableException(
            "DynamoDB failed to " + what + ": " + e.getMessage(), e);
      }
      throw new IllegalStateException("DynamoDB refused to " + what + ": " + e.getMessage(), e);
    } catch (SdkException e) {
      throw new StoreUnavailableException(
          "DynamoDB unreachable to " + what + ": " + e.getMessage(), e);
    }
  }

  /** Carries a cancellation past the mapping. */
  private static final class Cancelled extends RuntimeException {
    Cancelled(TransactionCanceledException cause) {
      super(cause);
    }
  }
}
