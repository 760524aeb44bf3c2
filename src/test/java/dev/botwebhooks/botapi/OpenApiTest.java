package dev.botwebhooks.botapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botwebhooks.config.Settings;
import dev.botwebhooks.core.IdGenerator;
import dev.botwebhooks.core.Minter;
import dev.botwebhooks.lambda.FunctionName;
import dev.botwebhooks.lambda.Routes;
import dev.botwebhooks.store.MemoryStore;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/openapi.yaml describes exactly the routes the functions serve. */
class OpenApiTest {
  @Test
  void description_namesEveryRouteOfTheBotApi_andNoOther() {
    MemoryStore store = new MemoryStore();
    BotApi api =
        new BotApi(
            store, new Minter(store, IdGenerator.secure(), Clock.systemUTC()),
            IdGenerator.secure(), Clock.systemUTC(), Settings.defaults(),
            (hit, commit) -> {
              throw new AssertionError("no replay here");
            });

    List<String> described =
        OpenApi.operations().stream().filter(o -> !o.contains(" /hooks/")).toList();

    assertThat(described).containsExactlyInAnyOrderElementsOf(api.routeKeys());
  }

  @Test
  void description_namesTheWebhookRoutes() {
    List<String> hooks =
        Routes.ALL.stream()
            .filter(r -> r.function() == FunctionName.WEBHOOK && !r.method().equals("ANY"))
            .map(Routes.Route::routeKey)
            .toList();

    assertThat(OpenApi.operations().stream().filter(o -> o.contains(" /hooks/")))
        .containsExactlyInAnyOrderElementsOf(hooks);
  }

  @Test
  void description_isOpenApi31WithASchemaForEveryJsonAnswer() {
    assertThat(OpenApi.DOC.path("openapi").asText()).isEqualTo("3.1.0");
    assertThat(OpenApi.pathOf("/bots/b1/commands/%2Fstart")).contains("/bots/{botId}/commands/{name}");
    assertThat(OpenApi.pathOf("/nowhere")).isEmpty();
  }
}
