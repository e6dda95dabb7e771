package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/**
 * Where the sidecars of one identity send the copy of their audit records, in place of the
 * cluster-wide export (chart values {@code sidecar.auditExport}); batching and retries stay the
 * cluster's. Read by the webhook when it injects a pod.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AuditExport {

  @Required
  @Size(max = 2048)
  @Pattern(FieldPatterns.HTTP_URL)
  @JsonPropertyDescription(
      "Where the identity's sidecars POST their audit records, in batches: an http or https URL without credentials in it (they go in headersSecret). Replaces the cluster-wide export for pods created after the change; the sidecar's stdout keeps every record either way. For otlp, a URL without a path gets /v1/logs.")
  private String endpoint;

  @Default("http")
  @Pattern("^(http|otlp)$")
  @JsonPropertyDescription(
      "http: JSON lines (application/x-ndjson), one audit record per line as on the sidecar's stdout. otlp: OpenTelemetry logs over OTLP/HTTP in the JSON encoding (ExportLogsServiceRequest).")
  private String protocol;

  @Size(max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription(
      "A Secret in the identity's namespace whose keys are request header names and whose values are their values (e.g. Authorization), mounted in the sidecar alone. The cluster-wide export's headers are never sent to this endpoint. Unset: no headers. A pod waits for a missing Secret.")
  private String headersSecret;

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public String getProtocol() {
    return protocol;
  }

  public void setProtocol(String protocol) {
    this.protocol = protocol;
  }

  /** {@link #getProtocol()} with the schema default applied. */
  public String protocolOrDefault() {
    return protocol != null ? protocol : "http";
  }

  public String getHeadersSecret() {
    return headersSecret;
  }

  public void setHeadersSecret(String headersSecret) {
    this.headersSecret = headersSecret;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AuditExport that
        && Objects.equals(endpoint, that.endpoint)
        && Objects.equals(protocol, that.protocol)
        && Objects.equals(headersSecret, that.headersSecret);
  }

  @Override
  public int hashCode() {
    return Objects.hash(endpoint, protocol, headersSecret);
  }
}
