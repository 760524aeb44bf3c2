package dev.botwebhooks.queue;

import dev.botwebhooks.config.SdkLogging;
import dev.botwebhooks.core.HttpCall;
import dev.botwebhooks.core.HttpCallQueue;
import dev.botwebhooks.json.HttpCallJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Sends committed runs' calls to the SQS queue named by {@code HTTP_CALL_QUEUE_URL}, ten to a
 * batch. A call the queue did not take is an error for the caller to log.
 */
public final class SqsCallQueue implements HttpCallQueue {
  /** The queue's URL; set by the template, unset locally (calls then run in-process). */
  public static final String HTTP_CALL_QUEUE_URL = "HTTP_CALL_QUEUE_URL";

  private static final int BATCH = 10;

  private final SqsClient sqs;
  private final String queueUrl;

  public SqsCallQueue(SqsClient sqs, String queueUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
  }

  /** The queue of the environment, if {@code HTTP_CALL_QUEUE_URL} is set. */
  public static Optional<SqsCallQueue> fromEnvironment(Optional<String> region) {
    String url = System.getenv(HTTP_CALL_QUEUE_URL);
    if (url == null || url.isBlank()) {
      return Optional.empty();
    }
    SdkLogging.useNopBinding();
    SqsClient sqs =
        SqsClient.builder()
            .region(
                Region.of(
                    region
                        .or(() -> Optional.ofNullable(System.getenv("AWS_REGION")))
                        .filter(r -> !r.isBlank())
                        .orElse("us-east-1")))
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .credentialsProvider(DefaultCredentialsProvider.builder().build())
            .build();
    return Optional.of(new SqsCallQueue(sqs, url.trim()));
  }

  @Override
  public void send(List<HttpCall> calls) {
    for (int from = 0; from < calls.size(); from += BATCH) {
      List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
      for (HttpCall call : calls.subList(from, Math.min(calls.size(), from + BATCH))) {
        entries.add(
            SendMessageBatchRequestEntry.builder()
                .id(call.id())
                .messageBody(HttpCallJson.write(call))
                .build());
      }
      SendMessageBatchResponse r =
          sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
      if (!r.failed().isEmpty()) {
        throw new IllegalStateException(
            r.failed().size() + " call(s) not queued: " + r.failed().get(0).code());
      }
    }
  }
}
