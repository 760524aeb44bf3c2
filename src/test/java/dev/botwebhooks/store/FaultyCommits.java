package dev.botwebhooks.store;

import dev.botwebhooks.core.Commit;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.core.StoreUnavailableException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A store whose commits suffer injected faults, for the embedded store's fault tests: a chosen
 * commit is applied and its answer then lost (every time it is sent), or never reaches the store,
 * and reads of commit outcomes can fail for a while. Everything else passes through.
 */
public final class FaultyCommits {
  /** What happens to a commit: applied and answered, applied with its answer lost, or lost. */
  public enum Fault {
    PASS,
    APPLY_THEN_LOSE_ANSWER,
    LOSE_BEFORE_APPLYING
  }

  /**
   * A commit as the fault rule sees it.
   *
   * @param ordinal among distinct tokens, 1 for the first
   * @param sends how many times this token has been sent, this time included
   */
  public record Send(Commit commit, int ordinal, int sends) {}

  /** Decides the fault of each commit sent. */
  public interface Rule {
    Fault decide(Send send);
  }

  private final Store target;
  private final Rule rule;
  private final Map<String, Integer> ordinals = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> sends = new ConcurrentHashMap<>();
  private final AtomicInteger distinct = new AtomicInteger();
  private final AtomicInteger lostAnswers = new AtomicInteger();
  private volatile Predicate<Commit> outcomeReadFails = c -> false;

  private FaultyCommits(Store target, Rule rule) {
    this.target = target;
    this.rule = rule;
  }

  public static FaultyCommits around(Store target, Rule rule) {
    return new FaultyCommits(target, rule);
  }

  /** While this holds for a commit, asking whether it applied fails as the store being away. */
  public void failOutcomeReads(Predicate<Commit> when) {
    outcomeReadFails = when;
  }

  /** The commit's place among the distinct commits sent so far (1 for the first), 0 if unsent. */
  public int ordinalOf(Commit commit) {
    return ordinals.getOrDefault(commit.token(), 0);
  }

  /** How many times a commit reached the store and its answer was lost. */
  public int lostAnswers() {
    return lostAnswers.get();
  }

  public Store store() {
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (method.getName().equals("commit") && args.length == 1) {
            commit((Commit) args[0]);
            return null;
          }
          if (method.getName().equals("isApplied") && outcomeReadFails.test((Commit) args[0])) {
            throw new StoreUnavailableException("injected: outcome read failed", null);
          }
          try {
            return method.invoke(target, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return (Store)
        Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class}, handler);
  }

  private void commit(Commit commit) {
    Fault fault;
    synchronized (this) {
      int ordinal = ordinals.computeIfAbsent(commit.token(), t -> distinct.incrementAndGet());
      int sent = sends.computeIfAbsent(commit.token(), t -> new AtomicInteger()).incrementAndGet();
      fault = rule.decide(new Send(commit, ordinal, sent));
    }
    if (fault == Fault.LOSE_BEFORE_APPLYING) {
      throw new StoreUnavailableException("injected: commit lost on its way", null);
    }
    if (fault == Fault.PASS) {
      target.commit(commit);
      return;
    }
    try {
      target.commit(commit);
    } catch (RuntimeException refusal) {
      // Its answer is lost all the same.
    }
    lostAnswers.incrementAndGet();
    throw new StoreUnavailableException("injected: commit sent, answer lost", null);
  }
}
