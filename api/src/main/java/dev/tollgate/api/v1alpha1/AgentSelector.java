package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;
import java.util.Objects;

@ValidationRule(
    value = "(has(self.names) && size(self.names) > 0) || has(self.selector)",
    message = "agents must set names or selector")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AgentSelector {

  @JsonPropertyDescription("Names of AgentIdentities in the same namespace.")
  private List<String> names;

  @SchemaFrom(type = LabelSelectorSchema.class)
  @JsonPropertyDescription(
      "Label selector over the AgentIdentities of the same namespace (their own labels, not their pods'). An empty selector selects every identity of the namespace.")
  private LabelSelector selector;

  public List<String> getNames() {
    return names;
  }

  public void setNames(List<String> names) {
    this.names = names;
  }

  public LabelSelector getSelector() {
    return selector;
  }

  public void setSelector(LabelSelector selector) {
    this.selector = selector;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof AgentSelector)) {
      return false;
    }
    AgentSelector that = (AgentSelector) o;
    return Objects.equals(names, that.names) && Objects.equals(selector, that.selector);
  }

  @Override
  public int hashCode() {
    return Objects.hash(names, selector);
  }
}
