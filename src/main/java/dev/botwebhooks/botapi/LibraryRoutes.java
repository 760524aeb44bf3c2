package dev.botwebhooks.botapi;

import dev.botwebhooks.code.CodeUpload;
import dev.botwebhooks.core.Library;
import dev.botwebhooks.core.CodeStore;
import dev.botwebhooks.http.HttpResponse;

/**
 * {@code /bots/{botId}/libs/{name}}: a library's source, reached from commands as {@code
 * Libs.<name>}. {@code Webhooks} is built in and cannot be stored or deleted.
 */
final class LibraryRoutes {
  private final CodeStore store;

  LibraryRoutes(CodeStore store) {
    this.store = store;
  }

  HttpResponse put(ApiCall call) {
    CodeUpload.PreparedLibrary l = CodeUpload.library(call.param("name"), call.sourceText());
    Library stored = store.putLibrary(call.botId(), l.name(), l.source(), l.runnable());
    return HttpResponse.json(200, Shapes.librarySummary(stored));
  }

  HttpResponse get(ApiCall call) {
    String name = call.param("name");
    return store
        .library(call.botId(), name)
        .map(l -> HttpResponse.json(200, Shapes.library(l)))
        .orElseThrow(() -> ApiException.notFound("no library named '" + name + "'"));
  }

  HttpResponse delete(ApiCall call) {
    String name = CodeUpload.libraryName(call.param("name"));
    if (!store.deleteLibrary(call.botId(), name)) {
      throw ApiException.notFound("no library named '" + name + "'");
    }
    return Responses.noContent();
  }
}
