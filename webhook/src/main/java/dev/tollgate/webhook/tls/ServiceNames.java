package dev.tollgate.webhook.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The names a serving certificate must carry: the webhook Service's DNS forms plus any extra DNS
 * names and IP addresses (127.0.0.1 for tests and a local control plane).
 */
public record ServiceNames(
    String service, String namespace, List<String> extraDnsNames, List<InetAddress> ipAddresses) {

  private static final int GENERAL_NAME_DNS = 2;
  private static final int GENERAL_NAME_IP = 7;

  public ServiceNames {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(namespace, "namespace");
    if (service.isBlank() || namespace.isBlank()) {
      throw new IllegalArgumentException("service and namespace must not be blank");
    }
    extraDnsNames = List.copyOf(extraDnsNames);
    ipAddresses = List.copyOf(ipAddresses);
  }

  public static ServiceNames of(String service, String namespace) {
    return new ServiceNames(service, namespace, List.of(), List.of());
  }

  public ServiceNames withIpAddresses(InetAddress... addresses) {
    return new ServiceNames(service, namespace, extraDnsNames, List.of(addresses));
  }

  public ServiceNames withExtraDnsNames(String... names) {
    return new ServiceNames(service, namespace, List.of(names), ipAddresses);
  }

  /**
   * {@code svc}, {@code svc.ns}, {@code svc.ns.svc}, {@code svc.ns.svc.cluster.local}, then the
   * extras.
   */
  public List<String> dnsNames() {
    Set<String> names = new LinkedHashSet<>();
    names.add(service);
    names.add(service + "." + namespace);
    names.add(service + "." + namespace + ".svc");
    names.add(service + "." + namespace + ".svc.cluster.local");
    names.addAll(extraDnsNames);
    return List.copyOf(names);
  }

  /**
   * The API server calls {@code svc.ns.svc}; the subject names it too, for people reading the
   * certificate.
   */
  public String commonName() {
    return service + "." + namespace + ".svc";
  }

  /** Whether the certificate's subject alternative names include every name here. */
  public boolean coveredBy(X509Certificate certificate) {
    Set<String> dns = new LinkedHashSet<>();
    Set<InetAddress> ips = new LinkedHashSet<>();
    Collection<List<?>> alternatives;
    try {
      alternatives = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return false;
    }
    if (alternatives == null) {
      return false;
    }
    for (List<?> alternative : alternatives) {
      int type = (Integer) alternative.get(0);
      String value = (String) alternative.get(1);
      if (type == GENERAL_NAME_DNS) {
        dns.add(value.toLowerCase(Locale.ROOT));
      } else if (type == GENERAL_NAME_IP) {
        ips.add(literal(value));
      }
    }
    List<String> wanted = new ArrayList<>();
    for (String name : dnsNames()) {
      wanted.add(name.toLowerCase(Locale.ROOT));
    }
    return dns.containsAll(wanted) && ips.containsAll(ipAddresses);
  }

  // The JDK renders IP SANs as literals; getByName parses a literal without a DNS lookup.
  private static InetAddress literal(String address) {
    try {
      return InetAddress.getByName(address);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP literal: " + address, e);
    }
  }
}
