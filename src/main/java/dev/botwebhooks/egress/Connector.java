package dev.botwebhooks.egress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.time.Duration;

/** Opens the TCP connection to a checked address; tests record instead of connecting. */
@FunctionalInterface
public interface Connector {
  Socket connect(InetAddress address, int port, Duration timeout) throws IOException;

  /** A direct connection: no proxy, no lookup (the address is already an address). */
  Connector DIRECT =
      (address, port, timeout) -> {
        Socket socket = new Socket(Proxy.NO_PROXY);
        try {
          socket.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
          return socket;
        } catch (IOException e) {
          socket.close();
          throw e;
        }
      };
}
