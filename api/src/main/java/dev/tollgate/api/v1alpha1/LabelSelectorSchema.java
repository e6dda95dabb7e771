package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;

/**
 * Schema-only twin of Fabric8's {@code LabelSelector} (referenced through {@code @SchemaFrom}): the
 * Fabric8 model carries no descriptions, and every property of these CRDs must explain itself in
 * {@code kubectl explain}. The Java fields stay of the Fabric8 type.
 */
@JsonAutoDetect(
    fieldVisibility = Visibility.ANY,
    getterVisibility = Visibility.NONE,
    isGetterVisibility = Visibility.NONE)
final class LabelSelectorSchema {

  @JsonPropertyDescription(
      "Label key/value pairs that must all be present. A pair here is the same as a matchExpressions entry with operator In and a single value.")
  Map<String, String> matchLabels;

  @JsonPropertyDescription(
      "Label requirements that must all hold. An empty selector (no matchLabels, no matchExpressions) matches everything.")
  List<LabelSelectorRequirementSchema> matchExpressions;

  private LabelSelectorSchema() {}
}
