package dev.botwebhooks.store.dynamodb;

import dev.botwebhooks.config.SdkLogging;
import dev.botwebhooks.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Builds the SDK client for the settings: region, credentials, endpoint, the URL connection HTTP
 * client with the timeouts, and a short retry strategy.
 */
final class DynamoClients {
  private DynamoClients() {}

  static DynamoDbClient build(
      Settings settings, DynamoStore.Timeouts timeouts, List<ExecutionInterceptor> interceptors) {
    SdkLogging.useNopBinding();
    ClientOverrideConfiguration.Builder override =
        ClientOverrideConfiguration.builder()
            .apiCallAttemptTimeout(timeouts.attempt())
            .apiCallTimeout(timeouts.call())
            .retryStrategy(
                AwsRetryStrategy.standardRetryStrategy().toBuilder()
                    .maxAttempts(timeouts.maxAttempts())
                    .backoffStrategy(
                        BackoffStrategy.exponentialDelay(
                            Duration.ofMillis(25), Duration.ofMillis(500)))
                    .throttlingBackoffStrategy(
                        BackoffStrategy.exponentialDelay(
                            Duration.ofMillis(100), Duration.ofSeconds(1)))
                    .build());
    interceptors.forEach(override::addExecutionInterceptor);
    Duration connect = min(timeouts.attempt(), Duration.ofSeconds(1));
    var builder =
        DynamoDbClient.builder()
            .region(Region.of(region(settings)))
            .credentialsProvider(credentials(settings))
            .overrideConfiguration(override.build());
    if (settings.dynamoDbEndpoint().map(DynamoClients::isPlainHttp).orElse(false)) {
      builder.httpClient(plainHttpClient(connect, timeouts.attempt()));
    } else {
      builder.httpClientBuilder(
          UrlConnectionHttpClient.builder()
              .connectionTimeout(connect)
              .socketTimeout(timeouts.attempt()));
    }
    settings.dynamoDbEndpoint().ifPresent(e -> builder.endpointOverride(URI.create(e)));
    return builder.build();
  }

  /**
   * The HTTP client of a client whose endpoint is plain {@code http://} (a local one): the same URL
   * connection client, given the connections it opens instead of building them itself, so that it
   * builds no TLS context (the JDK's trust store, cipher suites and crypto policy: about 100 ms of
   * a local cold start, README "Performance"). Such a client makes no TLS connection.
   */
  private static SdkHttpClient plainHttpClient(Duration connect, Duration read) {
    return UrlConnectionHttpClient.create(
        uri -> {
          try {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout(Math.toIntExact(connect.toMillis()));
            connection.setReadTimeout(Math.toIntExact(read.toMillis()));
            return connection;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  static boolean isPlainHttp(String endpoint) {
    return "http".equalsIgnoreCase(URI.create(endpoint).getScheme());
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) < 0 ? a : b;
  }

  private static String region(Settings settings) {
    return settings
        .region()
        .or(() -> Optional.ofNullable(System.getenv(Settings.Env.AWS_REGION)))
        .filter(r -> !r.isBlank())
        .orElse("us-east-1");
  }

  /**
   * The default chain, except that a local endpoint without any configured credentials gets dummy
   * ones: moto and LocalStack accept any signature, and the chain would fail (or probe instance
   * metadata) otherwise.
   */
  private static AwsCredentialsProvider credentials(Settings settings) {
    if (settings.dynamoDbEndpoint().isPresent() && !credentialsConfigured()) {
      return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    }
    return DefaultCredentialsProvider.builder().build();
  }

  private static boolean credentialsConfigured() {
    for (String name :
        List.of(
            "AWS_ACCESS_KEY_ID",
            "AWS_PROFILE",
            "AWS_WEB_IDENTITY_TOKEN_FILE",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
      String v = System.getenv(name);
      if (v != null && !v.isBlank()) {
        return true;
      }
    }
    if (System.getProperty("aws.accessKeyId") != null) {
      return true;
    }
    String file = System.getenv("AWS_SHARED_CREDENTIALS_FILE");
    Path credentials =
        file != null
            ? Path.of(file)
            : Path.of(System.getProperty("user.home"), ".aws", "credentials");
    return Files.isRegularFile(credentials);
  }
}
