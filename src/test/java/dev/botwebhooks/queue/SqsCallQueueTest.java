package dev.botwebhooks.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.core.HttpCall;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.lambda.HttpCallFunction;
import dev.botwebhooks.store.dynamodb.DynamoDbTestServer;
import dev.botwebhooks.webhook.HttpCallExecutor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Calls through a real SQS-protocol queue (the test server also speaks SQS): what the webhook
 * function sends is what the queue's function reads, as SQS delivers it.
 */
@ExtendWith(DynamoDbTestServer.class)
class SqsCallQueueTest {
  @Test
  void callsSentToTheQueue_reachTheQueuesFunctionUnchanged() throws Exception {
    SqsClient sqs =
        SqsClient.builder()
            .region(Region.US_EAST_1)
            .endpointOverride(URI.create(DynamoDbTestServer.endpoint()))
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .build();
    String url = sqs.createQueue(b -> b.queueName("calls-" + UUID.randomUUID())).queueUrl();
    IdGenerator ids = IdGenerator.secure();
    List<HttpCall> sent = new ArrayList<>();
    for (int i = 0; i < 12; i++) { // more than one batch of ten
      sent.add(
          new HttpCall(
              ids.timeOrderedId(Instant.now()), "bot1", "hook1", "1", "https://api.test",
              new HttpCall.Request(
                  "POST", "https://pay.example.test/v1", Map.of("X-A", "1"), "{\"n\":" + i + "}",
                  false, "/ok", "/err", Json.object().put("n", i), i == 11)));
    }

    new SqsCallQueue(sqs, url).send(sent);

    List<Message> received = new ArrayList<>();
    for (int tries = 0; tries < 10 && received.size() < sent.size(); tries++) {
      received.addAll(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages());
    }
    assertThat(received).hasSize(sent.size());
    ObjectNode event = Json.object();
    ArrayNode records = event.putArray("Records");
    for (Message m : received) {
      records.addObject().put("messageId", m.messageId()).put("body", m.body());
    }
    List<HttpCall> executed = new ArrayList<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new HttpCallFunction(
            c -> {
              executed.add(c);
              return new HttpCallExecutor.Outcome("success", 200, true);
            },
            endBy -> 0)
        .handleRequest(
            new ByteArrayInputStream(Json.write(event).getBytes(StandardCharsets.UTF_8)), out,
            null);

    assertThat(executed).containsExactlyInAnyOrderElementsOf(sent);
    JsonNode result = Json.MAPPER.readTree(out.toByteArray());
    assertThat(result.path("batchItemFailures").size()).isZero();
  }
}
