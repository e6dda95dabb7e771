package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum AgentMode {
  @JsonProperty("Enforce")
  ENFORCE,
  @JsonProperty("Audit")
  AUDIT;

  public static final AgentMode DEFAULT = ENFORCE;
}
