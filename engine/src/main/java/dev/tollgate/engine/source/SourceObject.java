package dev.tollgate.engine.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A Tollgate custom resource as the engine sees it, wherever it came from (a file for the CLI, the
 * API server for the operator, an AdmissionReview for the webhook).
 *
 * @param ref kind, namespace and name
 * @param labels metadata.labels (AgentIdentity labels drive ToolPolicy selectors)
 * @param spec the spec object, never null (an empty object when absent)
 * @param origin where it came from, for messages
 */
public record SourceObject(
    ObjectRef ref, Map<String, String> labels, JsonNode spec, String origin) {

  public SourceObject {
    labels = Map.copyOf(labels);
  }
}
