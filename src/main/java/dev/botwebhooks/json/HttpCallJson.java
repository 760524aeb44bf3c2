package dev.botwebhooks.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.botwebhooks.core.HttpCall;

/**
 * An outbound call as JSON text, as a queue message and the store keep it, and back.
 */
public final class HttpCallJson {
  private HttpCallJson() {}

  public static String write(HttpCall call) {
    try {
      return Json.MAPPER.writeValueAsString(call);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an outbound call could not be written as JSON", e);
    }
  }

  /** @throws IllegalArgumentException when the text is not a call */
  public static HttpCall read(String body) {
    try {
      HttpCall call = Json.MAPPER.readValue(body, HttpCall.class);
      if (call == null) {
        throw new IllegalArgumentException("the message is not an outbound call");
      }
      return call;
    } catch (JsonProcessingException | RuntimeException e) {
      throw new IllegalArgumentException("the message is not an outbound call", e);
    }
  }
}
