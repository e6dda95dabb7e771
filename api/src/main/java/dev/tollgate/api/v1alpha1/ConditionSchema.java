package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/**
 * Schema-only twin of Fabric8's {@code Condition} (Kubernetes {@code metav1.Condition}); see {@link
 * LabelSelectorSchema} for why it exists.
 */
@JsonAutoDetect(
    fieldVisibility = Visibility.ANY,
    getterVisibility = Visibility.NONE,
    isGetterVisibility = Visibility.NONE)
final class ConditionSchema {

  enum Status {
    @JsonProperty("True")
    TRUE,
    @JsonProperty("False")
    FALSE,
    @JsonProperty("Unknown")
    UNKNOWN
  }

  @Required
  @JsonPropertyDescription("The kind of condition, in CamelCase, for example Accepted or Ready.")
  String type;

  @Required
  @JsonPropertyDescription("Whether the condition holds: True, False or Unknown.")
  Status status;

  @Min(0)
  @JsonPropertyDescription(
      "The metadata.generation that the condition was computed from. Lower than the object's current generation means the condition is stale.")
  Long observedGeneration;

  @JsonSerialize(using = DateTimeStringSerializer.class)
  @JsonPropertyDescription("When the status last changed (RFC 3339).")
  String lastTransitionTime;

  @JsonPropertyDescription(
      "A CamelCase, machine-readable reason for the last transition, for example Compiled or InvalidRule.")
  String reason;

  @JsonPropertyDescription("A human-readable explanation of the last transition.")
  String message;

  private ConditionSchema() {}
}
