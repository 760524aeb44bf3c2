package dev.botwebhooks.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Looks a host name up; the policy asks once per request and connects to what it checked. */
@FunctionalInterface
public interface Resolver {
  List<InetAddress> resolve(String host) throws UnknownHostException;

  /** The system's resolver. */
  Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));
}
