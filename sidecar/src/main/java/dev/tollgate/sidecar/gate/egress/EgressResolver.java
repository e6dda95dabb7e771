package dev.tollgate.sidecar.gate.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a destination name into addresses. The gate resolves names itself, so that the address it
 * decides on is the address it connects to; tests inject one that answers what they need (a public
 * name that resolves to 169.254.169.254).
 */
@FunctionalInterface
public interface EgressResolver {

  /** The JDK's resolver (the pod's /etc/hosts and DNS). */
  EgressResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

  /** The addresses of {@code host}, in preference order; never empty. */
  List<InetAddress> resolve(String host) throws UnknownHostException;
}
