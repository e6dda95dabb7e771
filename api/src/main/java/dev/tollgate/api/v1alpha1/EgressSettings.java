package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class EgressSettings {

  @Default("Off")
  @JsonPropertyDescription(
      "Enforce: the agent containers reach the network only through the decision point's egress proxy (http://127.0.0.1:9442, given to them as HTTPS_PROXY and HTTP_PROXY); an init container with NET_ADMIN rejects every other packet that leaves the pod from any user but the decision point's, IPv4 and IPv6, every protocol (DNS included); loopback and replies to connections made to the pod stay open. Audit: the proxy variables only, nothing is blocked, so a tool that ignores them goes around the proxy unseen. Off: neither.")
  private EgressMode mode;

  public EgressMode getMode() {
    return mode;
  }

  public void setMode(EgressMode mode) {
    this.mode = mode;
  }

  /** {@link #getMode()} with the schema default applied. */
  public EgressMode modeOrDefault() {
    return mode != null ? mode : EgressMode.DEFAULT;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EgressSettings that && mode == that.mode;
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode);
  }
}
