package dev.botwebhooks.core;

import java.util.List;

/**
 * Where committed runs put their outbound calls: SQS in AWS, an in-process executor locally. A
 * send happens after the run's commit, never before, so a run that fails queues nothing.
 */
@FunctionalInterface
public interface HttpCallQueue {
  void send(List<HttpCall> calls);
}
