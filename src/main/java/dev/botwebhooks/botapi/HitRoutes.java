package dev.botwebhooks.botapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botwebhooks.core.HitRecord;
import dev.botwebhooks.core.Ids;
import dev.botwebhooks.core.Store;
import dev.botwebhooks.http.HttpResponse;
import dev.botwebhooks.json.Json;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code /bots/{botId}/hits}: the request log, newest first, filtered by hook and status; one hit
 * in full; and its replay, dry unless {@code ?commit=true} (README "The request log").
 */
final class HitRoutes {
  private static final Pattern STATUS = Pattern.compile("[1-5][0-9][0-9]");
  private static final Pattern HIT_ID = Pattern.compile("[0-9]{13}-[0-9]{10}-[A-Za-z0-9_-]{8}");

  private final Store store;
  private final HitReplayer replayer;

  HitRoutes(Store store, HitReplayer replayer) {
    this.store = store;
    this.replayer = replayer;
  }

  HttpResponse list(ApiCall call) {
    Optional<String> hook = call.query("hook_id");
    if (hook.isPresent() && !Ids.isHookId(hook.get())) {
      throw ApiException.badRequest("hook_id must be a webhook id");
    }
    Optional<String> status = call.query("status");
    if (status.isPresent() && !STATUS.matcher(status.get()).matches()) {
      throw ApiException.badRequest("status must be an HTTP status, 100-599");
    }
    HitRecord.Filter filter = new HitRecord.Filter(hook, status.map(Integer::parseInt));
    return HttpResponse.json(
        200, Shapes.page(store.hits(call.botId(), filter, call.page()), HitRoutes::summary));
  }

  HttpResponse get(ApiCall call) {
    return HttpResponse.json(200, hit(call).detail());
  }

  HttpResponse replay(ApiCall call) {
    Optional<String> commit = call.query("commit");
    if (commit.isPresent() && !commit.get().equals("true") && !commit.get().equals("false")) {
      throw ApiException.badRequest("commit must be true or false");
    }
    return HttpResponse.json(200, replayer.replay(hit(call), commit.orElse("").equals("true")));
  }

  private HitRecord hit(ApiCall call) {
    String id = call.param("hitId");
    if (!HIT_ID.matcher(id).matches()) {
      throw ApiException.notFound("no such hit");
    }
    return store.hit(call.botId(), id).orElseThrow(() -> ApiException.notFound("no such hit"));
  }

  /** What a listing shows of a hit; {@code GET .../hits/{hitId}} has the rest. */
  private static ObjectNode summary(HitRecord hit) {
    ObjectNode d = hit.detail();
    ObjectNode o = Json.object();
    o.put("id", hit.id());
    o.put("hook_id", hit.hookId());
    o.put("command", d.path("command").asText(null));
    o.put("received_at", hit.receivedAt().toString());
    o.put("method", d.path("request").path("method").asText(null));
    o.put("status", hit.status());
    o.put("duration_ms", d.path("duration_ms").asLong());
    // An entry whose effects were too long to keep counts them (README "The request log").
    o.put("messages", d.path("messages_count").asInt(d.path("messages").size()));
    o.put(
        "property_changes",
        d.path("property_changes_count").asInt(d.path("property_changes").size()));
    o.put("error", d.path("error").asText(null));
    o.put("replay_of", d.path("replay_of").asText(null));
    return o;
  }
}
