package dev.botwebhooks.botapi;

import dev.botwebhooks.core.Library;
import dev.botwebhooks.core.CodeStore;
import dev.botwebhooks.http.HttpResponse;
import java.util.regex.Pattern;

/**
 * {@code /bots/{botId}/libs/{name}}: a library's source, reached from commands as {@code
 * Libs.<name>}. {@code Webhooks} is built in and cannot be stored or deleted.
 */
final class LibraryRoutes {
  static final String BUILT_IN = "Webhooks";
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");

  private final CodeStore store;

  LibraryRoutes(CodeStore store) {
    this.store = store;
  }

  HttpResponse put(ApiCall call) {
    String name = name(call);
    String source = call.sourceText();
    Library stored =
        store.putLibrary(call.botId(), name, source, CommandRoutes.transpiled(source));
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
    String name = name(call);
    if (!store.deleteLibrary(call.botId(), name)) {
      throw ApiException.notFound("no library named '" + name + "'");
    }
    return Responses.noContent();
  }

  private static String name(ApiCall call) {
    String name = call.param("name");
    if (!NAME.matcher(name).matches()) {
      throw ApiException.badRequest("library name must match [A-Za-z][A-Za-z0-9_]{0,63}");
    }
    if (name.equals(BUILT_IN)) {
      throw ApiException.badRequest("library name 'Webhooks' is built in and cannot be replaced");
    }
    return name;
  }
}
