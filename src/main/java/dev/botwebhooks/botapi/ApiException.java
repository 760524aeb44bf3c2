package dev.botwebhooks.botapi;

import java.util.Map;

/**
 * A request the API refuses: the status, a message safe to show the caller (it names the field and
 * the rule), and any headers the answer must carry ({@code Allow}, {@code WWW-Authenticate}).
 */
final class ApiException extends RuntimeException {
  private final int status;
  private final Map<String, String> headers;

  ApiException(int status, String message) {
    this(status, message, Map.of());
  }

  ApiException(int status, String message, Map<String, String> headers) {
    super(message, null, false, false);
    this.status = status;
    this.headers = Map.copyOf(headers);
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  static ApiException notFound(String message) {
    return new ApiException(404, message);
  }

  int status() {
    return status;
  }

  Map<String, String> headers() {
    return headers;
  }
}
