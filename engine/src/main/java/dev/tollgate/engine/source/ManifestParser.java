package dev.tollgate.engine.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one manifest document (already parsed from YAML or JSON) into a {@link SourceObject}.
 * Documents of other API groups (a Namespace, a Secret) are skipped, so a GitOps folder can mix
 * Tollgate resources with the rest of an application; an unknown Tollgate kind or version is an
 * error, since it is almost always a typo that would otherwise silently drop a policy.
 */
public final class ManifestParser {

  private final String defaultNamespace;

  public ManifestParser(String defaultNamespace) {
    this.defaultNamespace = defaultNamespace;
  }

  /** What one document turned out to be. */
  public sealed interface Outcome {}

  /** A Tollgate resource. */
  public record Parsed(SourceObject object) implements Outcome {}

  /** A document of another API group, or a non-Tollgate document the caller may handle. */
  public record Skipped(String apiVersion, String kind) implements Outcome {}

  /** A Tollgate document that cannot be used. */
  public record Rejected(Problem problem) implements Outcome {}

  public Outcome parse(JsonNode document, String origin) {
    if (document == null || !document.isObject()) {
      return rejected(origin, "", "", "a manifest must be a YAML/JSON object");
    }
    String apiVersion = text(document.get("apiVersion"));
    String kindName = text(document.get("kind"));
    if (apiVersion.isEmpty()) {
      return rejected(
          origin, describe(kindName, document, defaultNamespace), "apiVersion", "is required");
    }
    if (kindName.isEmpty()) {
      return rejected(origin, "", "kind", "is required (apiVersion " + apiVersion + ")");
    }
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    if (!group.equals(Kind.GROUP)) {
      return new Skipped(apiVersion, kindName);
    }
    var kind = Kind.fromWireName(kindName);
    if (kind.isEmpty()) {
      return rejected(
          origin,
          describe(kindName, document, defaultNamespace),
          "kind",
          "unknown kind "
              + kindName
              + " in "
              + Kind.GROUP
              + " (expected one of AgentIdentity, ToolScope, ToolPolicy, ToolCallApproval)");
    }
    if (!apiVersion.equals(Kind.API_VERSION)) {
      return rejected(
          origin,
          describe(kindName, document, defaultNamespace),
          "apiVersion",
          "unsupported version " + apiVersion + " (expected " + Kind.API_VERSION + ")");
    }
    JsonNode metadata = document.path("metadata");
    String name = text(metadata.get("name"));
    String namespace = text(metadata.get("namespace"));
    if (namespace.isEmpty()) {
      namespace = defaultNamespace;
    }
    String object = kindName + "/" + namespace + "/" + name;
    if (name.isEmpty()) {
      return rejected(origin, kindName, "metadata.name", "is required");
    }
    if (name.length() > KubernetesNames.MAX_SUBDOMAIN_LENGTH
        || !KubernetesNames.isDnsSubdomain(name)) {
      return rejected(
          origin,
          object,
          "metadata.name",
          "must be a lowercase DNS subdomain (a-z, 0-9, '-', '.'), at most 253 characters");
    }
    if (namespace.length() > KubernetesNames.MAX_LABEL_LENGTH
        || !KubernetesNames.isDnsLabel(namespace)) {
      return rejected(origin, object, "metadata.namespace", "must be a lowercase DNS label");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    JsonNode labelNode = metadata.path("labels");
    if (!labelNode.isMissingNode() && !labelNode.isNull()) {
      if (!labelNode.isObject()) {
        return rejected(origin, object, "metadata.labels", "must be a map of strings");
      }
      for (var entry : iterable(labelNode)) {
        if (!entry.getValue().isValueNode() || entry.getValue().isNull()) {
          return rejected(origin, object, "metadata.labels." + entry.getKey(), "must be a string");
        }
        labels.put(entry.getKey(), entry.getValue().asText());
      }
    }
    JsonNode spec = document.get("spec");
    if (spec == null || spec.isNull()) {
      spec = JsonNodeFactory.instance.objectNode();
    } else if (!spec.isObject()) {
      return rejected(origin, object, "spec", "must be an object");
    }
    ObjectRef ref = new ObjectRef(kind.get(), namespace, name);
    return new Parsed(new SourceObject(ref, labels, spec, origin));
  }

  /** Expands {@code kind: List} documents (what {@code kubectl get -o yaml} prints). */
  public static List<JsonNode> expandLists(JsonNode document) {
    if (document != null
        && document.isObject()
        && "List".equals(text(document.get("kind")))
        && document.path("items").isArray()) {
      List<JsonNode> items = new ArrayList<>();
      document.path("items").forEach(items::add);
      return items;
    }
    return document == null ? List.of() : List.of(document);
  }

  private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
    return node::fields;
  }

  private static Rejected rejected(String origin, String object, String field, String message) {
    return new Rejected(new Problem(ProblemCode.INVALID_OBJECT, origin, object, field, message));
  }

  private static String describe(String kind, JsonNode document, String defaultNamespace) {
    String name = text(document.path("metadata").get("name"));
    String namespace = text(document.path("metadata").get("namespace"));
    return name.isEmpty()
        ? kind
        : kind + "/" + (namespace.isEmpty() ? defaultNamespace : namespace) + "/" + name;
  }

  private static String text(JsonNode node) {
    return node != null && node.isTextual() ? node.asText() : "";
  }
}
