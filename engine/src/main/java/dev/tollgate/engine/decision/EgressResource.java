package dev.tollgate.engine.decision;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.engine.net.HostName;
import dev.tollgate.engine.net.IpAddress;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The resource of a connection through the egress gate (tool {@code Egress}): {@code {type:
 * "egress", host, port, scheme, ip, ipKind}}. The input is {@code {host, port, scheme, ip}}, where
 * {@code ip} is the address the gate resolved the name to (absent when it has not resolved, or the
 * host is an address itself).
 *
 * <p>The host is normalized as a WebFetch host is ({@link HostName}); an IP literal in any notation
 * becomes its canonical form, and {@code ip} is then that address. {@code ipKind} classifies {@code
 * ip} ({@code loopback}, {@code private}, {@code linkLocal}, {@code metadata}, …; empty without an
 * address), so a rule can refuse a public-looking name that resolves to the metadata service. A
 * host or address that is none (an IPv6 zone, {@code 1.2.3.4.5}, a name with a space) makes the
 * request bad: the gate would not know where the connection goes.
 */
final class EgressResource {

  private EgressResource() {}

  static Map<String, Object> of(JsonNode args) {
    String raw = ResourceDeriver.text(args, "host").strip();
    if (raw.isEmpty()) {
      throw new InvalidToolInputException("tool_input.host is required for Egress");
    }
    long port = port(args);
    String scheme = ResourceDeriver.text(args, "scheme").toLowerCase(Locale.ROOT);
    Optional<IpAddress> literal = address(raw, "host");
    String host;
    Optional<IpAddress> ip;
    if (literal.isPresent()) {
      host = literal.get().canonical();
      ip = literal;
    } else {
      host = canonicalName(raw);
      String resolved = ResourceDeriver.text(args, "ip").strip();
      ip = resolved.isEmpty() ? Optional.empty() : address(resolved, "ip");
      if (!resolved.isEmpty() && ip.isEmpty()) {
        throw new InvalidToolInputException(
            "tool_input.ip '" + resolved + "' is not an IP address");
      }
    }
    Map<String, Object> resource = new LinkedHashMap<>();
    resource.put("type", "egress");
    resource.put("host", host);
    resource.put("port", port);
    resource.put("scheme", scheme);
    resource.put("ip", ip.map(IpAddress::canonical).orElse(""));
    resource.put("ipKind", ip.map(a -> a.kind().wireName()).orElse(""));
    return resource;
  }

  private static long port(JsonNode args) {
    JsonNode value = args == null ? null : args.get("port");
    if (value == null
        || !value.isIntegralNumber()
        || value.asLong() < 1
        || value.asLong() > 65_535) {
      throw new InvalidToolInputException(
          "tool_input.port must be a whole number from 1 to 65535 for Egress");
    }
    return value.asLong();
  }

  private static Optional<IpAddress> address(String raw, String field) {
    String bracketed = raw.contains(":") && !raw.startsWith("[") ? "[" + raw + "]" : raw;
    try {
      return IpAddress.parseHost(HostName.canonical(bracketed));
    } catch (IllegalArgumentException e) {
      throw new InvalidToolInputException(
          "tool_input."
              + field
              + " '"
              + raw
              + "' is not a valid host or address: "
              + e.getMessage());
    }
  }

  private static String canonicalName(String raw) {
    String host = HostName.canonical(raw);
    if (!HostName.isDnsName(host)) {
      throw new InvalidToolInputException("tool_input.host '" + raw + "' is not a host name");
    }
    return host;
  }
}
