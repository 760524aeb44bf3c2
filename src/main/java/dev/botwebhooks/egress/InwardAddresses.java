package dev.botwebhooks.egress;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Which addresses an outbound call may never reach (README "Outbound HTTP calls"): every address
 * that is not public unicast. IPv6 is judged by what it is or what it carries: only global unicast
 * ({@code 2000::/3}) passes, less documentation, Teredo and 6to4, and a NAT64 address
 * ({@code 64:ff9b::/96}) is judged by the IPv4 address it embeds. The reasons name a kind of
 * address, never the address itself.
 */
final class InwardAddresses {
  private InwardAddresses() {}

  /** Why the address is refused, or empty when it is public. */
  static Optional<String> refusal(InetAddress address) {
    if (address instanceof Inet4Address v4) {
      return refusalV4(v4.getAddress());
    }
    byte[] b = ((Inet6Address) address).getAddress();
    if (prefix(b, new byte[] {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0}, 96)) {
      return refusalV4(new byte[] {b[12], b[13], b[14], b[15]})
          .map(r -> "a NAT64 form of " + r);
    }
    if (isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
      return Optional.of("an IPv4-mapped address"); // Java usually hands these over as IPv4
    }
    if (isZero(b, 0, 15) && (b[15] == 0 || b[15] == 1)) {
      return Optional.of(b[15] == 0 ? "the unspecified address" : "a loopback address");
    }
    int first = b[0] & 0xff;
    if (first == 0xff) {
      return Optional.of("a multicast address");
    }
    if ((first & 0xfe) == 0xfc) {
      return Optional.of("a unique-local address");
    }
    if (first == 0xfe && (b[1] & 0xc0) == 0x80) {
      return Optional.of("a link-local address");
    }
    if ((first & 0xe0) != 0x20) {
      return Optional.of("a reserved IPv6 address");
    }
    if (first == 0x20 && b[1] == 0x01 && b[2] == 0x0d && (b[3] & 0xff) == 0xb8) {
      return Optional.of("a documentation address");
    }
    if (first == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) {
      return Optional.of("a Teredo address");
    }
    if (first == 0x20 && b[1] == 0x02) {
      return Optional.of("a 6to4 address");
    }
    return Optional.empty();
  }

  private static Optional<String> refusalV4(byte[] a) {
    int x = a[0] & 0xff;
    int y = a[1] & 0xff;
    if (x == 0 && y == 0 && a[2] == 0 && a[3] == 0) {
      return Optional.of("the unspecified address");
    }
    if (x == 0) {
      return Optional.of("a 'this network' address");
    }
    if (x == 127) {
      return Optional.of("a loopback address");
    }
    if (x == 10 || (x == 172 && (y & 0xf0) == 16) || (x == 192 && y == 168)) {
      return Optional.of("a private address");
    }
    if (x == 169 && y == 254) {
      return Optional.of("a link-local address");
    }
    if (x == 100 && (y & 0xc0) == 64) {
      return Optional.of("a carrier-grade NAT address");
    }
    if (x >= 224 && x <= 239) {
      return Optional.of("a multicast address");
    }
    if (x >= 240) {
      return Optional.of("a reserved address");
    }
    if ((x == 192 && y == 0 && (a[2] == 0 || a[2] == 2))
        || (x == 198 && (y == 18 || y == 19))
        || (x == 198 && y == 51 && (a[2] & 0xff) == 100)
        || (x == 203 && y == 0 && (a[2] & 0xff) == 113)) {
      return Optional.of("a reserved address");
    }
    return Optional.empty();
  }

  private static boolean prefix(byte[] address, byte[] prefix, int bits) {
    for (int i = 0; i < bits / 8; i++) {
      if (address[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean isZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** An address from its bytes, without any lookup. */
  static InetAddress ofBytes(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an address: " + bytes.length + " bytes", e);
    }
  }
}
