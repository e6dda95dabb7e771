package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import java.util.List;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ApprovalSettings {

  public static final int DEFAULT_TIMEOUT_SECONDS = 300;

  @Default("300")
  @Min(1)
  @Max(86400)
  @JsonPropertyDescription(
      "How long, in seconds, a call that requires approval is held waiting for a decision before it is denied; also the lifetime of the ToolCallApproval it creates.")
  private Integer timeoutSeconds;

  @JsonPropertyDescription(
      "Who may approve calls when the deciding rule names no approvers, as user:NAME or group:NAME.")
  private List<@Pattern(FieldPatterns.PRINCIPAL) String> defaultApprovers;

  public Integer getTimeoutSeconds() {
    return timeoutSeconds;
  }

  public void setTimeoutSeconds(Integer timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds;
  }

  /** {@link #getTimeoutSeconds()} with the schema default applied. */
  public int timeoutSecondsOrDefault() {
    return timeoutSeconds != null ? timeoutSeconds : DEFAULT_TIMEOUT_SECONDS;
  }

  public List<String> getDefaultApprovers() {
    return defaultApprovers;
  }

  public void setDefaultApprovers(List<String> defaultApprovers) {
    this.defaultApprovers = defaultApprovers;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ApprovalSettings)) {
      return false;
    }
    ApprovalSettings that = (ApprovalSettings) o;
    return Objects.equals(timeoutSeconds, that.timeoutSeconds)
        && Objects.equals(defaultApprovers, that.defaultApprovers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(timeoutSeconds, defaultApprovers);
  }
}
