package dev.botwebhooks.botapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botwebhooks.http.Headers;
import dev.botwebhooks.http.HttpEndpoint;
import dev.botwebhooks.http.HttpRequest;
import dev.botwebhooks.http.HttpResponse;
import dev.botwebhooks.json.Json;
import dev.botwebhooks.testing.InProcess;
import java.nio.charset.StandardCharsets;

/** Builds {@link HttpRequest}s the way the Lambda handler would and sends them to an endpoint. */
final class ApiClient {
  static final String BASE_URL = "https://api.example.test";

  private final HttpEndpoint endpoint;

  ApiClient(HttpEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  Call call(String method, String pathAndQuery) {
    return new Call(method, pathAndQuery);
  }

  /** One request being built. */
  final class Call {
    private final String method;
    private final String path;
    private final Headers.Builder headers = Headers.builder();
    private byte[] body = new byte[0];

    private Call(String method, String pathAndQuery) {
      this.method = method;
      this.path = pathAndQuery;
    }

    Call key(String key) {
      headers.add("Authorization", "Bearer " + key);
      return this;
    }

    Call header(String name, String value) {
      headers.add(name, value);
      return this;
    }

    Call json(String json) {
      headers.add("Content-Type", "application/json");
      body = json.getBytes(StandardCharsets.UTF_8);
      return this;
    }

    Call text(String text) {
      headers.add("Content-Type", "text/plain; charset=utf-8");
      body = text.getBytes(StandardCharsets.UTF_8);
      return this;
    }

    Call body(byte[] bytes) {
      body = bytes;
      return this;
    }

    Reply send() {
      HttpRequest request =
          InProcess.request(method, path, headers.build(), body, "203.0.113.9", "req-1", BASE_URL);
      HttpResponse response = endpoint.handle(request);
      String type = response.headers().getOrDefault("Content-Type", "");
      if (type.startsWith("application/json")) {
        try {
          OpenApi.assertDescribes(method, path, response.status(), Json.parse(response.body()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new AssertionError("not JSON: " + response.body(), e);
        }
      }
      return new Reply(response);
    }
  }

  /** A response with its body parsed when it is JSON. */
  record Reply(HttpResponse response) {
    int status() {
      return response.status();
    }

    String header(String name) {
      return response.headers().get(name);
    }

    JsonNode json() {
      try {
        return Json.parse(response.body());
      } catch (Exception e) {
        throw new AssertionError("body is not JSON: " + response.body(), e);
      }
    }

    String error() {
      return json().path("error").asText();
    }
  }
}
