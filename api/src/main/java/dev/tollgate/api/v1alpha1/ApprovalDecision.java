package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum ApprovalDecision {
  @JsonProperty("Approved")
  APPROVED("Approved"),
  @JsonProperty("Rejected")
  REJECTED("Rejected");

  private final String wireName;

  ApprovalDecision(String wireName) {
    this.wireName = wireName;
  }

  /** The value in YAML and messages. */
  @Override
  public String toString() {
    return wireName;
  }
}
