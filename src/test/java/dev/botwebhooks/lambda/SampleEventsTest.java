package dev.botwebhooks.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.botwebhooks.http.HttpRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Keeps {@code events/} honest: every sample is a valid event that some test loads. */
class SampleEventsTest {
  private static List<Path> samples() throws IOException {
    try (Stream<Path> files = Files.list(SampleEvents.FOLDER)) {
      return files
          .filter(p -> p.toString().endsWith(".json"))
          .filter(p -> !p.getFileName().toString().equals("seed.json")) // what events refer to
          .sorted()
          .toList();
    }
  }

  @Test
  void everySampleEvent_isUsedByATest() throws IOException {
    String testSources;
    try (Stream<Path> files = Files.walk(Path.of("src", "test", "java"))) {
      testSources =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> !p.getFileName().toString().equals("SampleEventsTest.java"))
              .map(
                  p -> {
                    try {
                      return Files.readString(p);
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  })
              .collect(Collectors.joining("\n"));
    }

    assertThat(samples()).isNotEmpty();
    for (Path sample : samples()) {
      assertThat(testSources)
          .as("a test uses " + sample)
          .contains("\"" + sample.getFileName() + "\"");
    }
  }

  @Test
  void everyHttpSampleEvent_hasARouteOfTheTable() throws IOException {
    for (Path sample : samples()) {
      String name = sample.getFileName().toString();
      if (name.startsWith("schedule-") || name.startsWith("sqs-")) {
        continue; // an EventBridge or SQS event, not an HTTP request
      }
      Object event = LambdaEvents.read(Files.readAllBytes(sample));
      HttpRequest request =
          event instanceof APIGatewayV2HTTPEvent http
              ? ApiGatewayEvents.toRequest(http, "test")
              : ApiGatewayEvents.toRequest((APIGatewayProxyRequestEvent) event, "test");
      assertThat(Routes.match(request.method(), request.path()))
          .as(sample + " routes somewhere")
          .isPresent();
    }
  }
}
