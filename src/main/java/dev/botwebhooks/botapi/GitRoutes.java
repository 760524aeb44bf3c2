package dev.botwebhooks.botapi;

import dev.botwebhooks.core.PropertyKey;
import dev.botwebhooks.core.PropertyStore;
import dev.botwebhooks.core.PropertyType;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.gitimport.GitRepository;
import dev.botwebhooks.http.HttpResponse;

/**
 * {@code /bots/{botId}/git}: the git repository {@code Bot.importGit} imports the bot from (README
 * "Importing from git"), set by the owner as on Bots.Business's bot settings.
 */
final class GitRoutes {
  private final PropertyStore store;

  GitRoutes(PropertyStore store) {
    this.store = store;
  }

  HttpResponse get(ApiCall call) {
    return store
        .property(GitRepository.key(call.botId()))
        .filter(p -> p.value().type() == PropertyType.JSON)
        .map(p -> HttpResponse.json(200, GitRepository.fromJson(p.value().value()).toJson()))
        .orElseThrow(() -> ApiException.notFound("the bot has no git repository"));
  }

  /** {@code {"repository"}} on GitHub, or {@code {"archive_url"}}; {@code "branch"} optional. */
  HttpResponse put(ApiCall call) {
    GitRepository repository = GitRepository.fromJson(call.jsonObject());
    store.putProperty(
        GitRepository.key(call.botId()),
        new PropertyValue(PropertyType.JSON, repository.toJson()));
    return HttpResponse.json(200, repository.toJson());
  }

  HttpResponse delete(ApiCall call) {
    PropertyKey key = GitRepository.key(call.botId());
    if (!store.deleteProperty(key)) {
      throw ApiException.notFound("the bot has no git repository");
    }
    return Responses.noContent();
  }
}
