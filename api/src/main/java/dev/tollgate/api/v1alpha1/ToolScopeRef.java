package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ToolScopeRef {

  @Required
  @JsonPropertyDescription("Name of a ToolScope in the same namespace.")
  private String name;

  public ToolScopeRef() {}

  public ToolScopeRef(String name) {
    this.name = name;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  @Override
  public boolean equals(Object o) {
    return this == o
        || (o instanceof ToolScopeRef && Objects.equals(name, ((ToolScopeRef) o).name));
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(name);
  }
}
