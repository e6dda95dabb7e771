package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How an agent pod's own network traffic is held to the decision point's egress proxy. */
public enum EgressMode {
  @JsonProperty("Enforce")
  ENFORCE,
  @JsonProperty("Audit")
  AUDIT,
  @JsonProperty("Off")
  OFF;

  public static final EgressMode DEFAULT = OFF;
}
