package dev.botwebhooks.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Looks a host name up; the policy asks once per request and connects to what it checked. */
@FunctionalInterface
public interface Resolver {
  List<InetAddress> resolve(String host) throws UnknownHostException;

  /** The system's resolver. */
  Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

  /**
   * This resolver within a time limit (README "Outbound HTTP calls": the lookup counts toward the
   * call's time). The lookup runs on a daemon thread of its own, since the system resolver cannot
   * be interrupted; a lookup not answered in time is left to end by its own timeouts.
   */
  default Resolver within(Duration limit) {
    return host -> {
      FutureTask<List<InetAddress>> lookup = new FutureTask<>(() -> resolve(host));
      Thread thread = new Thread(lookup, "host-lookup");
      thread.setDaemon(true);
      thread.start();
      try {
        return lookup.get(limit.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        lookup.cancel(true);
        throw new TimedOut(host);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof UnknownHostException unknown) {
          throw unknown;
        }
        throw new UnknownHostException(host);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TimedOut(host);
      }
    };
  }

  /** A lookup that did not answer within its time limit. */
  final class TimedOut extends UnknownHostException {
    TimedOut(String host) {
      super(host);
    }
  }
}
