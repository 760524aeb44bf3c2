package dev.botwebhooks.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DynamoClientsTest {
  @Test
  void onlyAPlainHttpEndpoint_goesWithoutTheTrustStore() {
    assertThat(DynamoClients.isPlainHttp("http://127.0.0.1:8000")).isTrue();
    assertThat(DynamoClients.isPlainHttp("HTTP://localhost:4566")).isTrue();
    assertThat(DynamoClients.isPlainHttp("https://dynamodb.eu-west-1.amazonaws.com")).isFalse();
    assertThat(DynamoClients.isPlainHttp("https://localhost:4566")).isFalse();
  }
}
