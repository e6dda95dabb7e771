package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum RuleEffect {
  @JsonProperty("Allow")
  ALLOW,
  @JsonProperty("Deny")
  DENY,
  @JsonProperty("RequireApproval")
  REQUIRE_APPROVAL
}
