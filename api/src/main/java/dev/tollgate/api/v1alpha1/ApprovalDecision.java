package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum ApprovalDecision {
  @JsonProperty("Approved") APPROVED,
  @JsonProperty("Rejected") REJECTED
}
