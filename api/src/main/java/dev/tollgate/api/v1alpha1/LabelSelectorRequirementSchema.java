package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/**
 * Schema-only twin of Fabric8's {@code LabelSelectorRequirement}; see {@link LabelSelectorSchema}.
 */
@JsonAutoDetect(
    fieldVisibility = Visibility.ANY,
    getterVisibility = Visibility.NONE,
    isGetterVisibility = Visibility.NONE)
final class LabelSelectorRequirementSchema {

  enum Operator {
    @JsonProperty("In")
    IN,
    @JsonProperty("NotIn")
    NOT_IN,
    @JsonProperty("Exists")
    EXISTS,
    @JsonProperty("DoesNotExist")
    DOES_NOT_EXIST
  }

  @Required
  @JsonPropertyDescription("The label key the requirement applies to.")
  String key;

  @Required
  @JsonPropertyDescription("How the key relates to the values: In, NotIn, Exists or DoesNotExist.")
  Operator operator;

  @JsonPropertyDescription(
      "The label values. Must be non-empty for In and NotIn, empty for Exists and DoesNotExist.")
  List<String> values;

  private LabelSelectorRequirementSchema() {}
}
