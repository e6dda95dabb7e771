package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * Schema-only twin of Fabric8's {@code Condition} (Kubernetes {@code metav1.Condition}); see {@link
 * LabelSelectorSchema} for why it exists. It carries metav1.Condition's own validation (required
 * fields, patterns, lengths), so that the API server refuses from any writer what it would refuse
 * on a built-in object's conditions. That the list is a map keyed by {@code type} is added by the
 * generator's post-processing ({@code ConditionListMaps}): the annotations cannot say it.
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

  /** metav1.Condition's: an optional DNS-subdomain prefix and a qualified name. */
  static final String TYPE_PATTERN =
      "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$";

  static final String REASON_PATTERN = "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$";

  @Required
  @Pattern(TYPE_PATTERN)
  @Size(max = 316)
  @JsonPropertyDescription(
      "The kind of condition, in CamelCase, for example Accepted, Ready, Reconciling or Stalled; unique in the list.")
  String type;

  @Required
  @JsonPropertyDescription("Whether the condition holds: True, False or Unknown.")
  Status status;

  @Min(0)
  @JsonPropertyDescription(
      "The metadata.generation that the condition was computed from. Lower than the object's current generation means the condition is stale.")
  Long observedGeneration;

  @Required
  @JsonSerialize(using = DateTimeStringSerializer.class)
  @JsonPropertyDescription("When the status last changed (RFC 3339).")
  String lastTransitionTime;

  @Required
  @Pattern(REASON_PATTERN)
  @Size(min = 1, max = 1024)
  @JsonPropertyDescription(
      "A CamelCase, machine-readable reason for the last transition, for example Compiled or InvalidRule.")
  String reason;

  @Required
  @Size(max = 32768)
  @JsonPropertyDescription("A human-readable explanation of the last transition (may be empty).")
  String message;

  private ConditionSchema() {}
}
