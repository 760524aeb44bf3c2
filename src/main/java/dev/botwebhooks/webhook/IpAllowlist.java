package dev.botwebhooks.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Client addresses exempt from the rate limit: IPv4 and IPv6 addresses and CIDR blocks, parsed
 * and compared as addresses (so {@code ::ffff:1.2.3.4}, {@code 0:0::1} and {@code ::1} compare by
 * value, not by spelling). Only address literals are accepted, so parsing never asks DNS.
 */
final class IpAllowlist {
  private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  private record Block(byte[] network, int prefixBits) {}

  private final List<Block> blocks;

  private IpAllowlist(List<Block> blocks) {
    this.blocks = List.copyOf(blocks);
  }

  /**
   * Parses a comma-separated list.
   *
   * @throws IllegalArgumentException naming the entry that is not an address or CIDR
   */
  static IpAllowlist parse(String text) {
    List<Block> blocks = new ArrayList<>();
    for (String raw : text.split(",")) {
      String entry = raw.trim();
      if (entry.isEmpty()) {
        continue;
      }
      int slash = entry.indexOf('/');
      String address = slash < 0 ? entry : entry.substring(0, slash);
      byte[] bytes =
          parseAddress(address)
              .orElseThrow(
                  () -> new IllegalArgumentException("IP_ALLOWLIST entry is not an IP: " + entry));
      // An IPv4-mapped IPv6 address parses as IPv4; its prefix counts the 96 bits before it.
      boolean mapped = bytes.length == 4 && address.indexOf(':') >= 0;
      int bits = mapped ? 128 : bytes.length * 8;
      int prefix = bits;
      if (slash >= 0) {
        String digits = entry.substring(slash + 1);
        prefix = digits.matches("\\d{1,3}") ? Integer.parseInt(digits) : -1;
        if (prefix < 0 || prefix > bits) {
          throw new IllegalArgumentException(
              "IP_ALLOWLIST prefix must be 0-" + bits + ": " + entry);
        }
      }
      if (mapped && prefix < 96) {
        throw new IllegalArgumentException(
            "IP_ALLOWLIST prefix of an IPv4-mapped address must be 96-128: " + entry);
      }
      blocks.add(new Block(bytes, mapped ? prefix - 96 : prefix));
    }
    return new IpAllowlist(blocks);
  }

  boolean contains(String ip) {
    Optional<byte[]> parsed = parseAddress(ip);
    if (parsed.isEmpty()) {
      return false;
    }
    byte[] address = parsed.get();
    for (Block block : blocks) {
      if (block.network.length == address.length && matches(block, address)) {
        return true;
      }
    }
    return false;
  }

  /** The address in canonical form (IPv4-mapped IPv6 as IPv4), or empty if not a literal. */
  static Optional<String> canonical(String ip) {
    return parseAddress(ip).map(IpAllowlist::format);
  }

  private static String format(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException("address of " + bytes.length + " bytes", e);
    }
  }

  private static boolean matches(Block block, byte[] address) {
    int full = block.prefixBits / 8;
    for (int i = 0; i < full; i++) {
      if (block.network[i] != address[i]) {
        return false;
      }
    }
    int rest = block.prefixBits % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (block.network[full] & mask) == (address[full] & mask);
  }

  private static Optional<byte[]> parseAddress(String text) {
    if (text == null || !LITERAL.matcher(text).matches()) {
      return Optional.empty();
    }
    if (text.indexOf(':') < 0) {
      return parseIpv4(text);
    }
    try {
      // Text with a colon is only ever parsed as an IPv6 literal, never looked up; IPv4-mapped
      // IPv6 addresses come back as 4-byte IPv4 addresses.
      return Optional.of(InetAddress.getByName(text).getAddress());
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /**
   * Dotted-quad IPv4, parsed here: the JDK would send {@code 1.2.3.256} to DNS as a host name, and
   * reads {@code 010.1.2.3} as decimal where other parsers read octal: leading zeros are refused.
   */
  private static Optional<byte[]> parseIpv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return Optional.empty();
    }
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      String part = parts[i];
      if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
        return Optional.empty();
      }
      int value = 0;
      for (int k = 0; k < part.length(); k++) {
        char c = part.charAt(k);
        if (c < '0' || c > '9') {
          return Optional.empty();
        }
        value = value * 10 + (c - '0');
      }
      if (value > 255) {
        return Optional.empty();
      }
      bytes[i] = (byte) value;
    }
    return Optional.of(bytes);
  }
}
