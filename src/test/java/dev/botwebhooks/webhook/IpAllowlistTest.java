package dev.botwebhooks.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Parsing and matching of {@code IP_ALLOWLIST}: addresses by value, never by spelling or DNS. */
class IpAllowlistTest {

  @Test
  void contains_sameAddressInAnySpelling() {
    IpAllowlist list = IpAllowlist.parse("2001:db8::1, ::ffff:192.0.2.7, 198.51.100.1");

    assertThat(list.contains("2001:db8:0:0::1")).isTrue();
    assertThat(list.contains("2001:0DB8:0000:0000:0000:0000:0000:0001")).isTrue();
    assertThat(list.contains("192.0.2.7")).isTrue();
    assertThat(list.contains("::ffff:198.51.100.1")).isTrue();
    assertThat(list.contains("::FFFF:C633:6401")).isTrue(); // 198.51.100.1 in hex
    assertThat(list.contains("2001:db8::2")).isFalse();
    assertThat(list.contains("192.0.2.8")).isFalse();
  }

  @Test
  void contains_cidrBlocksOfBothFamilies_atAnyPrefix() {
    IpAllowlist list =
        IpAllowlist.parse("10.1.2.0/24, 172.16.0.0/12, 2001:db8:aa:1::/64, 2001:db8:f0::/45");

    assertThat(list.contains("10.1.2.255")).isTrue();
    assertThat(list.contains("10.1.3.0")).isFalse();
    assertThat(list.contains("172.31.255.255")).isTrue();
    assertThat(list.contains("172.32.0.0")).isFalse();
    assertThat(list.contains("2001:db8:aa:1:ffff:ffff:ffff:ffff")).isTrue();
    assertThat(list.contains("2001:db8:aa:2::")).isFalse();
    assertThat(list.contains("2001:db8:f7:ffff::1")).isTrue();
    assertThat(list.contains("2001:db8:f8::")).isFalse();
  }

  @Test
  void contains_zeroPrefix_coversOneFamilyOnly() {
    assertThat(IpAllowlist.parse("0.0.0.0/0").contains("203.0.113.1")).isTrue();
    assertThat(IpAllowlist.parse("0.0.0.0/0").contains("2001:db8::1")).isFalse();
    assertThat(IpAllowlist.parse("::/0").contains("2001:db8::1")).isTrue();
    assertThat(IpAllowlist.parse("::/0").contains("203.0.113.1")).isFalse();
  }

  @Test
  void contains_ipv4MappedCidr_isTheIpv4Block() {
    IpAllowlist list = IpAllowlist.parse("::ffff:10.0.0.0/104");

    assertThat(list.contains("10.200.1.1")).isTrue();
    assertThat(list.contains("11.0.0.1")).isFalse();
  }

  @Test
  void contains_notAnAddress_isFalse_withoutAskingDns() {
    IpAllowlist all = IpAllowlist.parse("0.0.0.0/0, ::/0");

    for (String text :
        new String[] {
          null, "", "localhost", "example.com", "1.2.3", "1.2.3.4.5", "1.2.3.256", "999.1.1.1",
          "010.1.2.3", "1.2.3.-4", "[::1]", "::1%lo", "1::2::3", "2001:db8::1/64", " 1.2.3.4",
          "0x7f.0.0.1", "1.2.3.4\u0000"
        }) {
      assertThat(all.contains(text)).as(String.valueOf(text)).isFalse();
      assertThat(IpAllowlist.canonical(text)).as(String.valueOf(text)).isEmpty();
    }
  }

  @Test
  void parse_emptyEntriesIgnored_badEntriesNamed() {
    assertThat(IpAllowlist.parse("").contains("1.2.3.4")).isFalse();
    assertThat(IpAllowlist.parse(" , ,1.2.3.4 ,").contains("1.2.3.4")).isTrue();

    for (String bad :
        new String[] {
          "example.com", "1.2.3.4/33", "::1/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/+8",
          "10.0.0.0/8/8", "1.2.3.256", "::ffff:10.0.0.0/95", "10.0.0.0/abc"
        }) {
      assertThatThrownBy(() -> IpAllowlist.parse("1.1.1.1, " + bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(bad);
    }
  }

  @Test
  void canonical_oneSpellingPerAddress() {
    assertThat(IpAllowlist.canonical("2001:DB8:0::1"))
        .isEqualTo(IpAllowlist.canonical("2001:db8:0:0:0:0:0:1"));
    assertThat(IpAllowlist.canonical("::ffff:203.0.113.5")).contains("203.0.113.5");
  }

  @Property(tries = 300)
  void cidr_containsExactlyTheAddressesSharingItsPrefix(
      @ForAll @Size(16) byte[] network,
      @ForAll @Size(16) byte[] other,
      @ForAll @IntRange(min = 0, max = 128) int prefix,
      @ForAll boolean ipv4)
      throws UnknownHostException {
    byte[] net = ipv4 ? Arrays.copyOf(network, 4) : network;
    byte[] addr = ipv4 ? Arrays.copyOf(other, 4) : other;
    int bits = Math.min(prefix, net.length * 8);
    IpAllowlist list = IpAllowlist.parse(text(net) + "/" + bits);

    assertThat(list.contains(text(addr))).isEqualTo(samePrefix(net, addr, bits));
    assertThat(list.contains(text(net))).isTrue();
  }

  private static boolean samePrefix(byte[] a, byte[] b, int bits) {
    for (int i = 0; i < bits; i++) {
      int mask = 0x80 >>> (i % 8);
      if ((a[i / 8] & mask) != (b[i / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  private static String text(byte[] address) throws UnknownHostException {
    return InetAddress.getByAddress(address).getHostAddress();
  }
}
