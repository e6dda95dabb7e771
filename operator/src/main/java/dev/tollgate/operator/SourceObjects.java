package dev.tollgate.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.api.v1alpha1.ToolPolicy;
import dev.tollgate.api.v1alpha1.ToolScope;
import dev.tollgate.engine.source.Kind;
import dev.tollgate.engine.source.ObjectRef;
import dev.tollgate.engine.source.SourceObject;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;

/**
 * Hands cluster objects to the engine in the same form the CLI hands it files: the spec as JSON.
 * That one path through the same compiler is what makes the operator's bundle byte-identical to
 * {@code tollgate bundle}'s.
 */
public final class SourceObjects {

  /** The origin recorded on objects from the API server, for messages. */
  public static final String ORIGIN = "cluster";

  private SourceObjects() {}

  public static SourceObject of(CustomResource<?, ?> resource) {
    Kind kind = kindOf(resource);
    String namespace = resource.getMetadata().getNamespace();
    ObjectRef ref =
        new ObjectRef(
            kind, namespace == null ? "default" : namespace, resource.getMetadata().getName());
    Map<String, String> labels =
        resource.getMetadata().getLabels() == null ? Map.of() : resource.getMetadata().getLabels();
    JsonNode spec =
        resource.getSpec() == null
            ? JsonNodeFactory.instance.objectNode()
            : Serialization.jsonMapper().valueToTree(resource.getSpec());
    return new SourceObject(ref, labels, spec, ORIGIN);
  }

  public static ObjectRef refOf(HasMetadata resource) {
    return new ObjectRef(
        kindOf(resource), resource.getMetadata().getNamespace(), resource.getMetadata().getName());
  }

  private static Kind kindOf(HasMetadata resource) {
    if (resource instanceof AgentIdentity) {
      return Kind.AGENT_IDENTITY;
    }
    if (resource instanceof ToolScope) {
      return Kind.TOOL_SCOPE;
    }
    if (resource instanceof ToolPolicy) {
      return Kind.TOOL_POLICY;
    }
    return Kind.TOOL_CALL_APPROVAL;
  }
}
