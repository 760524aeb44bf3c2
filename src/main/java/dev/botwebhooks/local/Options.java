package dev.botwebhooks.local;

/**
 * The local server's command line: {@code [--port N] [--demo] [--trust-forwarded-for]}.
 *
 * @param port TCP port on 127.0.0.1; 0 picks a free one
 * @param demo seed the example bot and print a ready webhook URL
 * @param trustForwardedFor take the client IP from the rightmost X-Forwarded-For address
 */
record Options(int port, boolean demo, boolean trustForwardedFor) {
  static final int DEFAULT_PORT = 3000;
  static final String USAGE =
      "usage: run-local.sh [--port N] [--demo] [--trust-forwarded-for]\n"
          + "  --port N                TCP port on 127.0.0.1 (default 3000)\n"
          + "  --demo                  seed the example bot and print a ready webhook URL\n"
          + "  --trust-forwarded-for   client IP = rightmost X-Forwarded-For address\n"
          + "environment: ADMIN_KEY, DYNAMODB_ENDPOINT, TABLE_NAME, PUBLIC_BASE_URL,"
          + " IP_ALLOWLIST and the limits (see README.md)";

  Options {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be 0..65535, got " + port);
    }
  }

  static Options parse(String... args) {
    int port = DEFAULT_PORT;
    boolean demo = false;
    boolean trustForwardedFor = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--demo" -> demo = true;
        case "--trust-forwarded-for" -> trustForwardedFor = true;
        case "--port" -> {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException("--port needs a number");
          }
          port = portNumber(args[++i]);
        }
        default -> {
          if (arg.startsWith("--port=")) {
            port = portNumber(arg.substring("--port=".length()));
          } else {
            throw new IllegalArgumentException("unknown option " + arg);
          }
        }
      }
    }
    return new Options(port, demo, trustForwardedFor);
  }

  private static int portNumber(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--port must be a number, got '" + text + "'", e);
    }
  }
}
