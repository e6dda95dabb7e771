package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum ApprovalPhase {
  @JsonProperty("Pending")
  PENDING,
  @JsonProperty("Approved")
  APPROVED,
  @JsonProperty("Rejected")
  REJECTED,
  @JsonProperty("Expired")
  EXPIRED
}
