package dev.botwebhooks.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The policy where the address is decided: a resolver stub answers chosen addresses, and nothing
 * connects anywhere.
 */
class EgressPolicyTest {
  private static final String PUBLIC = "93.184.215.14";

  /** Names and what they resolve to; anything else is unknown. */
  private static Resolver stub(Map<String, List<String>> answers, List<String> asked) {
    return host -> {
      asked.add(host);
      List<String> found = answers.get(host);
      if (found == null) {
        throw new UnknownHostException(host);
      }
      List<InetAddress> out = new ArrayList<>();
      for (String a : found) {
        out.add(InetAddress.getByName(a)); // literals only: no lookup
      }
      return out;
    };
  }

  private final List<String> asked = new ArrayList<>();
  private final EgressPolicy policy =
      new EgressPolicy(
          stub(
              Map.of(
                  "example.com", List.of(PUBLIC),
                  "localhost", List.of("127.0.0.1", "::1"),
                  "metadata.internal", List.of("169.254.169.254"),
                  "ecs-creds.example", List.of("169.254.170.2"),
                  "mixed.example", List.of(PUBLIC, "10.0.0.8"),
                  "v6private.example", List.of("fd00::1"),
                  "nat64.example", List.of("64:ff9b::a9fe:a9fe"),
                  "rebind.example", List.of("192.168.1.1")),
              asked),
          Set.of("127.0.0.1:8089", "localhost:8090"));

  private String refusal(String url) {
    try {
      Target t = policy.check(url);
      throw new AssertionError(url + " passed the policy, to " + t.address());
    } catch (EgressRefusedException e) {
      return e.getMessage();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // loopback in every IPv4 spelling
        "http://127.0.0.1/", "http://127.0.0.1:80/", "http://127.1/", "http://2130706433/",
        "http://0x7f000001/", "http://0x7f.0.0.1/", "http://0177.0.0.1/", "http://017700000001/",
        "http://127.000.000.001/", "http://127.0.0.1./", "http://0/", "http://0.0.0.0/",
        // metadata and container credentials (link-local), private, CGNAT, multicast, reserved
        "http://169.254.169.254/latest/meta-data/", "http://169.254.170.2/v2/credentials",
        "http://2852039166/", "http://0xa9fea9fe/", "http://0251.0376.0251.0376/",
        "http://10.0.0.1/", "http://172.16.5.4/", "http://172.31.255.255/", "http://192.168.0.1/",
        "http://100.64.0.1/", "http://100.127.255.254/", "http://224.0.0.1/", "http://239.1.2.3/",
        "http://255.255.255.255/", "http://240.0.0.1/", "http://192.0.0.8/", "http://198.18.0.1/",
        // IPv6: loopback, unspecified, mapped, compatible, NAT64, link-local, ULA, multicast
        "http://[::1]/", "http://[0:0:0:0:0:0:0:1]/", "http://[::]/", "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/", "http://[::ffff:169.254.169.254]/", "http://[::127.0.0.1]/",
        "http://[64:ff9b::7f00:1]/", "http://[64:ff9b::169.254.169.254]/",
        "http://[64:ff9b::10.0.0.1]/", "http://[64:ff9b:1::a00:1]/", "http://[fe80::1]/",
        "http://[fd00:ec2::254]/", "http://[fc00::1]/", "http://[ff02::1]/", "http://[fec0::1]/",
        "http://[2001:db8::1]/", "http://[2002:7f00:1::1]/", "http://[2001:0:4136:e378::1]/",
        "http://[fe80::1%25eth0]/",
        // names that resolve inward, and one with an inward address among public ones
        "http://localhost/", "http://LOCALHOST/", "http://localhost./", "http://metadata.internal/",
        "http://ecs-creds.example/", "http://mixed.example/", "http://v6private.example/",
        "http://nat64.example/", "https://rebind.example/",
        // allow-listed host on another port, or another spelling of it
        "http://127.0.0.1:8090/", "http://localhost:8089/", "http://127.1:8089/",
        "http://[::1]:8089/"
      })
  void inwardAddressesInEveryFormAreRefused(String url) {
    assertThat(refusal(url)).isNotBlank();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ftp://example.com/", "file:///etc/passwd", "gopher://example.com/", "jar:http://x/!/",
        "http://example.com:8080/", "http://example.com:22/", "https://example.com:6379/",
        "http://user:pw@example.com/", "http://example.com@127.0.0.1/", "http:///nohost",
        "//example.com/", "http://exa_mple.com/", "http://%31%32%37.0.0.1/", "not a url",
        "http://unknown.example/"
      })
  void otherSchemesPortsAndMalformedUrlsAreRefused(String url) {
    assertThat(refusal(url)).isNotBlank();
  }

  @Test
  void resolvedNamesNeverNameTheInwardAddress() {
    assertThat(refusal("http://metadata.internal/")).doesNotContain("169.254");
    assertThat(refusal("http://rebind.example/")).doesNotContain("192.168");
    assertThat(refusal("http://mixed.example/")).doesNotContain("10.0.0.8");
    assertThat(refusal("http://localhost/")).contains("loopback").doesNotContain("127.0.0.1");
  }

  @Test
  void aPublicNameIsResolvedOnceAndPinned() throws Exception {
    Target t = policy.check("https://Example.com/a/b?x=1");
    assertThat(t.address().getHostAddress()).isEqualTo(PUBLIC);
    assertThat(t.host()).isEqualTo("example.com");
    assertThat(t.port()).isEqualTo(443);
    assertThat(t.tls()).isTrue();
    assertThat(t.pathAndQuery()).isEqualTo("/a/b?x=1");
    assertThat(t.hostHeader()).isEqualTo("example.com");
    assertThat(asked).containsExactly("example.com");
  }

  @Test
  void publicLiteralsPassWithoutALookup() throws Exception {
    assertThat(policy.check("http://93.184.215.14/").address().getHostAddress()).isEqualTo(PUBLIC);
    assertThat(policy.check("http://[2606:4700::6810:84e5]/").address().getHostAddress())
        .isEqualTo("2606:4700:0:0:0:0:6810:84e5");
    assertThat(policy.check("http://[64:ff9b::5db8:d70e]/").address()).isNotNull();
    assertThat(asked).isEmpty();
  }

  @Test
  void theAllowListOpensExactlyItsHostAndPort() throws Exception {
    Target t = policy.check("http://127.0.0.1:8089/x");
    assertThat(t.address().isLoopbackAddress()).isTrue();
    assertThat(t.hostHeader()).isEqualTo("127.0.0.1:8089");
    assertThat(policy.check("http://localhost:8090/").address().isLoopbackAddress()).isTrue();
  }

  @Test
  void inwardKindsAreClassified() throws Exception {
    assertThat(InwardAddresses.refusal(InetAddress.getByName("8.8.8.8"))).isEmpty();
    assertThat(InwardAddresses.refusal(InetAddress.getByName("2001:4860:4860::8888"))).isEmpty();
    assertThat(InwardAddresses.refusal(InetAddress.getByName("169.254.169.254")))
        .contains("a link-local address");
    assertThat(InwardAddresses.refusal(InetAddress.getByName("100.64.0.1")))
        .contains("a carrier-grade NAT address");
    assertThat(InwardAddresses.refusal(InetAddress.getByName("64:ff9b::a9fe:a9fe")))
        .contains("a NAT64 form of a link-local address");
    assertThat(InwardAddresses.refusal(InetAddress.getByName("fd12::1")))
        .contains("a unique-local address");
    // An IPv4-mapped address as Inet6Address bytes (Java itself turns the text form into IPv4).
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = 8;
    mapped[15] = 8;
    assertThat(InwardAddresses.refusal(java.net.Inet6Address.getByAddress(null, mapped, null)))
        .contains("an IPv4-mapped address");
  }

  @Test
  void allowListEntriesNeedAPort() {
    assertThat(EgressSettings.allowList(" 127.0.0.1:8089, Localhost:9000 ,"))
        .containsExactly("127.0.0.1:8089", "localhost:9000");
    assertThatThrownBy(() -> EgressSettings.allowList("127.0.0.1"))
        .hasMessageContaining("HTTP_EGRESS_ALLOW");
    // Kept as calls are compared with them; one that could never match is refused.
    assertThat(EgressSettings.allowList("127.0.0.1:03971,[::1]:8080"))
        .containsExactly("127.0.0.1:3971", "[::1]:8080");
    assertThatThrownBy(() -> EgressSettings.allowList("::1:3971")).hasMessageContaining("brackets");
    assertThatThrownBy(() -> EgressSettings.allowList("h:0")).hasMessageContaining("1-65535");
  }
}
