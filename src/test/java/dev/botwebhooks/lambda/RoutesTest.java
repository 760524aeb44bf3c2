package dev.botwebhooks.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botwebhooks.lambda.Routes.Route;
import org.junit.jupiter.api.Test;

class RoutesTest {
  private static String key(String method, String path) {
    return Routes.match(method, path).map(Route::routeKey).orElse("none");
  }

  @Test
  void match_specificMethodBeatsAny() {
    assertThat(key("GET", "/hooks/abc")).isEqualTo("GET /hooks/{id}");
    assertThat(key("POST", "/hooks/abc")).isEqualTo("POST /hooks/{id}");
    assertThat(key("DELETE", "/hooks/abc")).isEqualTo("ANY /hooks/{id}");
  }

  @Test
  void match_hookIdWithQueryInPath_isOneSegment() {
    assertThat(key("GET", "/hooks/abc&task_id=5")).isEqualTo("GET /hooks/{id}");
  }

  @Test
  void match_greedyProxyTakesTheRest() {
    assertThat(key("PUT", "/bots/b1/commands/%2FonWebhook")).isEqualTo("ANY /bots/{proxy+}");
    assertThat(key("POST", "/bots")).isEqualTo("ANY /bots");
    assertThat(key("GET", "/bots")).isEqualTo("ANY /bots");
    assertThat(Routes.match("POST", "/bots").orElseThrow().function())
        .isEqualTo(FunctionName.BOT_API);
  }

  @Test
  void match_unknownPaths_none() {
    assertThat(key("GET", "/")).isEqualTo("none");
    assertThat(key("GET", "/hooks")).isEqualTo("none");
    assertThat(key("GET", "/hooks/")).isEqualTo("none");
    assertThat(key("GET", "/hooks/a/b")).isEqualTo("none");
    assertThat(key("GET", "/bots/")).isEqualTo("none");
    assertThat(key("GET", "/botsx/1")).isEqualTo("none");
  }

  @Test
  void route_badPath_isRefused() {
    assertThatThrownBy(() -> new Route("GET", "hooks", FunctionName.WEBHOOK))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hooks");
    assertThatThrownBy(() -> new Route("FETCH", "/hooks", FunctionName.WEBHOOK))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
