package dev.botwebhooks.store.dynamodb;

import dev.botwebhooks.core.StoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.IdempotentParameterMismatchException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionInProgressException;

/**
 * Runs SDK calls, taking turns when asked to, and maps their failures: unreachable, timed out,
 * throttled or failing DynamoDB is {@link StoreUnavailableException}; a request DynamoDB refuses is
 * a bug here, so IllegalStateException.
 *
 * <p>Taking turns (for local stand-ins, see {@code package-info.java}): a transaction runs alone;
 * other writes run one at a time but beside reads; reads run beside each other and beside one
 * write. A failed transaction on such a server restores a snapshot of the table, so nothing may
 * write while it runs, while a read beside a write sees the item before or after it, as on AWS.
 */
final class SdkCalls {
  private final Optional<Duration> serialize;
  private final ReentrantReadWriteLock transactions = new ReentrantReadWriteLock(true);
  private final ReentrantLock writes = new ReentrantLock(true);

  /**
   * @param serialize when present, calls take turns as above, each waiting at most this long for
   *     its turn (then {@link StoreUnavailableException})
   */
  SdkCalls(Optional<Duration> serialize) {
    this.serialize = Objects.requireNonNull(serialize, "serialize");
  }

  /** A call that writes nothing. */
  <T> T read(String what, Supplier<T> operation) {
    return inTurn(what, operation, List.of(transactions.readLock()));
  }

  /** A call that writes. */
  <T> T call(String what, Supplier<T> operation) {
    return inTurn(what, operation, List.of(transactions.readLock(), writes));
  }

  /**
   * A TransactWriteItems: a cancellation for a failed condition, a conflict with another
   * transaction or throttling is the caller's to interpret, so it passes through unmapped; one for
   * any other reason (DynamoDB's {@code ValidationError}, say) is a request DynamoDB refuses, which
   * applied nothing and would be refused again, so IllegalStateException, never retried as the
   * store being unavailable.
   */
  <T> T transaction(String what, Supplier<T> operation) {
    return inTurn(
        what,
        () -> {
          try {
            return operation.get();
          } catch (TransactionCanceledException e) {
            Optional<String> refusal = refusal(e);
            if (refusal.isPresent()) {
              throw new IllegalStateException(
                  "DynamoDB refused to " + what + ": " + refusal.get(), e);
            }
            throw new Cancelled(e);
          }
        },
        List.of(transactions.writeLock()));
  }

  /** Reason codes of a cancellation that a caller interprets or that may pass on a retry. */
  private static final Set<String> PASSING_REASONS =
      Set.of(
          "None",
          "ConditionalCheckFailed",
          "TransactionConflict",
          "ThrottlingError",
          "ProvisionedThroughputExceeded",
          "RequestLimitExceeded");

  /** The first reason of a cancellation that is none of those, with its message. */
  static Optional<String> refusal(TransactionCanceledException e) {
    if (!e.hasCancellationReasons()) {
      return Optional.empty();
    }
    for (CancellationReason r : e.cancellationReasons()) {
      if (r.code() != null && !PASSING_REASONS.contains(r.code())) {
        return Optional.of(r.code() + (r.message() == null ? "" : " (" + r.message() + ")"));
      }
    }
    return Optional.empty();
  }

  private <T> T inTurn(String what, Supplier<T> operation, List<Lock> turns) {
    if (serialize.isEmpty()) {
      return mapped(what, operation);
    }
    List<Lock> held = new ArrayList<>();
    try {
      for (Lock turn : turns) {
        if (!turn.tryLock(serialize.get().toMillis(), TimeUnit.MILLISECONDS)) {
          throw new StoreUnavailableException("DynamoDB busy: no turn to " + what, null);
        }
        held.add(turn);
      }
      return mapped(what, operation);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted waiting to " + what, e);
    } finally {
      for (int i = held.size() - 1; i >= 0; i--) {
        held.get(i).unlock();
      }
    }
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
