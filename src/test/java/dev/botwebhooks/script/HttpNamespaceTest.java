package dev.botwebhooks.script;

import static dev.botwebhooks.script.Runs.cmd;
import static dev.botwebhooks.script.Runs.code;
import static dev.botwebhooks.script.Runs.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.botwebhooks.core.HttpCall;
import dev.botwebhooks.core.HttpReply;
import dev.botwebhooks.core.MintRequest;
import dev.botwebhooks.core.PropertyValue;
import dev.botwebhooks.core.RunHost;
import dev.botwebhooks.core.RunRequest;
import dev.botwebhooks.core.RunResult;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code HTTP.*} as a script sees it: what it queues, and what a callback run sees. */
class HttpNamespaceTest {
  private final RhinoScriptRuntime runtime =
      new RhinoScriptRuntime(Runs.limits(5000), Clock.systemUTC());

  /** Records queued calls; nothing else is kept. */
  private static final class QueueHost implements RunHost {
    @Override
    public void keepRun() {}

    final List<HttpCall.Request> queued = new ArrayList<>();

    @Override
    public Optional<PropertyValue> getProperty(Optional<String> userId, String name) {
      return Optional.empty();
    }

    @Override
    public void setProperty(Optional<String> userId, String name, PropertyValue value) {}

    @Override
    public void deleteProperty(Optional<String> userId, String name) {}

    @Override
    public String mint(MintRequest request) {
      return "https://hooks.test/hooks/x";
    }

    @Override
    public void queueHttpCall(HttpCall.Request request) {
      queued.add(request);
    }
  }

  private final QueueHost host = new QueueHost();

  private RunResult run(String source) {
    return runtime.run(request(code("b1", cmd("/c", source)), "/c", 5000), host);
  }

  private String failure(String source) {
    RunResult r = run(source);
    assertThat(r).isInstanceOf(RunResult.Failed.class);
    return ((RunResult.Failed) r).message();
  }

  @Test
  void postWithAnObjectBodySendsJsonWithTheDefaultContentType() {
    run("HTTP.post({ url: 'https://api.example.com/v1/pay', body: { amount: 5, to: 'x' },"
        + " headers: { 'X-Key': 'k' }, success: '/onPaid', error: '/onFail', order: 7 })");
    HttpCall.Request r = host.queued.get(0);
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.url()).isEqualTo("https://api.example.com/v1/pay");
    assertThat(r.body()).isEqualTo("{\"amount\":5,\"to\":\"x\"}");
    assertThat(r.headers()).containsEntry("X-Key", "k").containsEntry("Content-Type", "application/json");
    assertThat(r.success()).isEqualTo("/onPaid");
    assertThat(r.error()).isEqualTo("/onFail");
    assertThat(r.followRedirects()).isFalse();
    assertThat(r.options().get("order").asInt()).isEqualTo(7);
  }

  @Test
  void formBodiesNullHeadersCookiesRedirectsAndQueryParams() {
    run(String.join(
        "\n",
        "HTTP.post({ url: 'http://x.example/f', body: { a: 1, b: 'x y&z' },",
        "  headers: { 'content-type': 'application/x-www-form-urlencoded' } });",
        "HTTP.put({ url: 'http://x.example/p', body: 'raw', headers: { 'content-type': null },",
        "  cookies: 'sid=1', folow_redirects: true });",
        "HTTP.get({ url: 'http://x.example/g?k=1', params: { q: 'a b' } });",
        "HTTP.delete({ url: 'http://x.example/d' }); HTTP.options({ url: 'http://x.example/o' });"));
    List<HttpCall.Request> q = host.queued;
    assertThat(q).extracting(HttpCall.Request::method)
        .containsExactly("POST", "PUT", "GET", "DELETE", "OPTIONS");
    assertThat(q.get(0).body()).isEqualTo("a=1&b=x+y%26z");
    assertThat(q.get(1).body()).isEqualTo("raw");
    assertThat(q.get(1).headers()).isEqualTo(Map.of("Cookie", "sid=1"));
    assertThat(q.get(1).followRedirects()).isTrue();
    assertThat(q.get(2).url()).isEqualTo("http://x.example/g?k=1&q=a+b");
    assertThat(q.get(2).body()).isNull();
    assertThat(q.get(2).headers()).isEmpty();
  }

  @Test
  void badArgumentsAreScriptErrors() {
    assertThat(failure("HTTP.get('http://x.example')")).contains("HTTP.get needs an object");
    assertThat(failure("HTTP.post({})")).contains("url is required");
    assertThat(failure("HTTP.post({ url: 'x' })")).contains("absolute http or https URL");
    assertThat(failure("HTTP.get({ url: 'file:///etc/passwd' })")).contains("absolute http");
    assertThat(failure("HTTP.patch({ url: 'http://x.example' })"))
        .contains("HTTP.patch is not available in webhook commands");
    assertThat(host.queued).isEmpty();
  }

  @Test
  void aCallbackRunSeesTheResponse() {
    RunRequest base = request(code("b1", cmd("/onOk", String.join(
        "\n",
        "Bot.sendMessage(http_status + ' ' + content + ' ' + http_headers['x-a'] + ' ' + cookies"
            + " + ' ' + options.order + ' ' + completed_commands_count);"))), "/onOk", 5000);
    RunRequest callback =
        new RunRequest(
            base.code(), base.botName(), base.message(), "{\"ok\":true}",
            dev.botwebhooks.json.Json.object().put("order", 7), base.user(), base.deadline(), 0,
            0, Optional.of(new HttpReply(201, Map.of("x-a", "1"), "sid=2")), true);
    assertThat(Runs.texts(runtime.run(callback, host)))
        .as("a callback counts as started by a command")
        .containsExactly("201 {\"ok\":true} 1 sid=2 7 1");
  }

  @Test
  void aRunThatIsNotACallbackHasNoReplyGlobals() {
    assertThat(Runs.texts(run("Bot.sendMessage(typeof http_status + typeof http_headers)")))
        .containsExactly("undefinedundefined");
  }
}
