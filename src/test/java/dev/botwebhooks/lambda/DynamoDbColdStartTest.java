package dev.botwebhooks.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botwebhooks.store.dynamodb.DynamoDbTestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A webhook function's cold start on a DynamoDB endpoint, in a fresh JVM as {@code
 * scripts/invoke.sh} runs it: the SDK's logging binding is the one named for it ({@code
 * config/SdkLogging}), and nothing of SLF4J's reaches the function's log.
 */
@ExtendWith(DynamoDbTestServer.class)
class DynamoDbColdStartTest {
  @Test
  void coldStart_answers_andSlf4jSaysNothing(@TempDir Path dir) throws Exception {
    ProcessBuilder builder =
        InvokeProcess.webhookFunction("events/hit-unknown-id.json")
            .redirectOutput(dir.resolve("out").toFile())
            .redirectError(dir.resolve("err").toFile());
    builder.environment().put("DYNAMODB_ENDPOINT", DynamoDbTestServer.endpoint());
    builder.environment().put("TABLE_NAME", DynamoDbTestServer.freshTableName("cold"));
    builder.environment().put("AWS_REGION", "us-east-1");
    Process p = builder.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(dir.resolve("out"), StandardCharsets.UTF_8);
    String err = Files.readString(dir.resolve("err"), StandardCharsets.UTF_8);

    assertThat(p.exitValue()).as(err).isZero();
    assertThat(out).contains("\"statusCode\":404");
    List<String> loaded =
        out.lines()
            .filter(l -> l.contains("software.amazon.awssdk.services.dynamodb.DynamoDbClient ")
                || l.contains("org.slf4j.nop.NOPServiceProvider "))
            .toList();
    assertThat(loaded).as("the SDK's client and the named binding were loaded").hasSize(2);
    assertThat(err).doesNotContain("SLF4J").contains("REPORT WebhookFunction init:");
  }
}
