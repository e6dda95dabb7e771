package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Objects;

/** A network destination a ToolScope lets the agent reach through the sidecar's egress gate. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EgressDestination {

  // The schema only keeps out what can never be a host (spaces, URLs); the engine checks the rest.
  @Required
  @Size(min = 1, max = 260)
  @Pattern("^[^\\s/@:]+(/[0-9]{1,3})?$|^\\[?[0-9A-Fa-f:.]+\\]?(/[0-9]{1,3})?$")
  @JsonPropertyDescription(
      "Destination host: an exact name (api.anthropic.com), a subdomain pattern (*.npmjs.org matches every name ending in .npmjs.org but not npmjs.org itself), an IP address in any notation, or a CIDR range (10.0.0.0/8, fd00::/8). Names are compared lower-cased, without a trailing dot and with Unicode as punycode. An address or range also matches a name that the sidecar resolved into it; a name never matches a connection to an IP literal.")
  private String host;

  @Required
  @Size(min = 1, max = 64)
  @JsonPropertyDescription(
      "TCP ports the agent may connect to at this host, such as [443]; at least one.")
  private List<@Min(1) @Max(65535) Integer> ports;

  public String getHost() {
    return host;
  }

  public void setHost(String host) {
    this.host = host;
  }

  public List<Integer> getPorts() {
    return ports;
  }

  public void setPorts(List<Integer> ports) {
    this.ports = ports;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof EgressDestination)) {
      return false;
    }
    EgressDestination that = (EgressDestination) o;
    return Objects.equals(host, that.host) && Objects.equals(ports, that.ports);
  }

  @Override
  public int hashCode() {
    return Objects.hash(host, ports);
  }
}
