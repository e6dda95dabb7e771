package dev.tollgate.api.v1alpha1;

import static dev.tollgate.api.v1alpha1.GeneratedCrds.schemaAt;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CrdSchemaTest {

  static List<String> plurals() {
    return GeneratedCrds.PLURALS;
  }

  @ParameterizedTest
  @MethodSource("plurals")
  void everyPropertyHasADescription(String plural) {
    List<String> undocumented = new ArrayList<>();
    collectUndocumented(GeneratedCrds.rootSchema(plural), "", undocumented);
    assertThat(undocumented).as("properties of %s without a description", plural).isEmpty();
  }

  private static void collectUndocumented(
      JSONSchemaProps schema, String path, List<String> undocumented) {
    if (schema.getProperties() != null) {
      schema
          .getProperties()
          .forEach(
              (name, property) -> {
                String propertyPath = path.isEmpty() ? name : path + "." + name;
                if (property.getDescription() == null || property.getDescription().isBlank()) {
                  undocumented.add(propertyPath);
                }
                collectUndocumented(property, propertyPath, undocumented);
              });
    }
    if (schema.getItems() != null && schema.getItems().getSchema() != null) {
      collectUndocumented(schema.getItems().getSchema(), path + "[]", undocumented);
    }
    if (schema.getAdditionalProperties() != null
        && schema.getAdditionalProperties().getSchema() != null) {
      collectUndocumented(schema.getAdditionalProperties().getSchema(), path + "{}", undocumented);
    }
  }

  @ParameterizedTest
  @MethodSource("plurals")
  void isANamespacedV1alpha1ResourceWithStatusSubresource(String plural) {
    CustomResourceDefinition crd = GeneratedCrds.load(plural);
    assertThat(crd.getMetadata().getName()).isEqualTo(plural + ".tollgate.dev");
    assertThat(crd.getSpec().getGroup()).isEqualTo("tollgate.dev");
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(crd.getSpec().getNames().getPlural()).isEqualTo(plural);
    assertThat(crd.getSpec().getNames().getCategories()).containsExactly("tollgate");
    assertThat(crd.getSpec().getVersions()).hasSize(1);
    CustomResourceDefinitionVersion version = GeneratedCrds.version(crd);
    assertThat(version.getServed()).isTrue();
    assertThat(version.getStorage()).isTrue();
    assertThat(version.getSubresources().getStatus()).as("status subresource").isNotNull();
    JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
    assertThat(root.getProperties()).containsKeys("spec", "status");
  }

  @Test
  void namesAndShortNames() {
    assertThat(GeneratedCrds.load("agentidentities").getSpec().getNames().getKind())
        .isEqualTo("AgentIdentity");
    assertThat(GeneratedCrds.load("agentidentities").getSpec().getNames().getShortNames())
        .containsExactly("agentid");
    assertThat(GeneratedCrds.load("toolscopes").getSpec().getNames().getKind())
        .isEqualTo("ToolScope");
    assertThat(GeneratedCrds.load("toolscopes").getSpec().getNames().getShortNames())
        .containsExactly("toolscope");
    assertThat(GeneratedCrds.load("toolpolicies").getSpec().getNames().getKind())
        .isEqualTo("ToolPolicy");
    assertThat(GeneratedCrds.load("toolpolicies").getSpec().getNames().getShortNames())
        .containsExactly("toolpolicy");
    assertThat(GeneratedCrds.load("toolcallapprovals").getSpec().getNames().getKind())
        .isEqualTo("ToolCallApproval");
    assertThat(GeneratedCrds.load("toolcallapprovals").getSpec().getNames().getShortNames())
        .containsExactly("tca");
  }

  @Test
  void printerColumns() {
    assertThat(columns("agentidentities"))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "Mode", ".spec.mode string 0",
                "Ready", ".status.conditions[?(@.type==\"Ready\")].status string 0",
                "Revision", ".status.bundle.revision string 1",
                "Age", ".metadata.creationTimestamp date 0"));
    assertThat(columns("toolscopes"))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "Accepted", ".status.conditions[?(@.type==\"Accepted\")].status string 0",
                "Age", ".metadata.creationTimestamp date 0"));
    assertThat(columns("toolpolicies"))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "Accepted", ".status.conditions[?(@.type==\"Accepted\")].status string 0",
                "Age", ".metadata.creationTimestamp date 0"));
    assertThat(columns("toolcallapprovals"))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "Tool", ".spec.tool string 0",
                "Decision", ".spec.decision string 0",
                "Phase", ".status.phase string 0",
                "Expires", ".spec.expiresAt string 0",
                "Age", ".metadata.creationTimestamp date 0"));
  }

  private static Map<String, String> columns(String plural) {
    return GeneratedCrds.version(GeneratedCrds.load(plural)).getAdditionalPrinterColumns().stream()
        .collect(
            Collectors.toMap(
                CustomResourceColumnDefinition::getName,
                c ->
                    c.getJsonPath()
                        + " "
                        + c.getType()
                        + " "
                        + (c.getPriority() == null ? 0 : c.getPriority())));
  }

  @Test
  void agentIdentitySchema() {
    JSONSchemaProps root = GeneratedCrds.rootSchema("agentidentities");
    JSONSchemaProps spec = schemaAt(root, "spec");
    assertThat(spec.getRequired()).containsExactly("serviceAccountName");
    assertThat(spec.getProperties())
        .containsOnlyKeys(
            "selector",
            "serviceAccountName",
            "attributes",
            "toolScopes",
            "delegation",
            "mode",
            "approval",
            "runtime",
            "egress",
            "auditExport");
    assertThat(schemaAt(root, "spec.auditExport").getRequired()).containsExactly("endpoint");
    assertThat(schemaAt(root, "spec.auditExport.endpoint").getPattern()).isEqualTo("^https?://.+");
    assertThat(schemaAt(root, "spec.auditExport.protocol").getPattern()).isEqualTo("^(http|otlp)$");
    assertDefault(schemaAt(root, "spec.auditExport.protocol"), "\"http\"");
    assertThat(schemaAt(root, "spec.selector").getProperties())
        .containsOnlyKeys("matchLabels", "matchExpressions");
    assertThat(schemaAt(root, "spec.attributes").getAdditionalProperties().getSchema().getType())
        .isEqualTo("string");
    assertThat(schemaAt(root, "spec.toolScopes[]").getRequired()).containsExactly("name");
    assertThat(schemaAt(root, "spec.delegation.allowedPrincipals[]").getPattern())
        .isEqualTo("^(user|group):\\S.*$");
    assertDefault(schemaAt(root, "spec.delegation.required"), "false");
    assertEnum(schemaAt(root, "spec.mode"), "Audit", "Enforce");
    assertDefault(schemaAt(root, "spec.mode"), "\"Enforce\"");
    JSONSchemaProps timeout = schemaAt(root, "spec.approval.timeoutSeconds");
    assertThat(timeout.getType()).isEqualTo("integer");
    assertDefault(timeout, "300");
    assertThat(timeout.getMinimum()).isEqualTo(1.0);
    assertThat(timeout.getMaximum()).isEqualTo(86400.0);
    assertThat(schemaAt(root, "spec.approval.defaultApprovers[]").getPattern())
        .isEqualTo("^(user|group):\\S.*$");
    assertEnum(schemaAt(root, "spec.runtime"), "ClaudeCode", "Codex", "GeminiCli", "Generic");
    assertDefault(schemaAt(root, "spec.runtime"), "\"ClaudeCode\"");
    assertThat(schemaAt(root, "spec.egress").getProperties()).containsOnlyKeys("mode");
    assertEnum(schemaAt(root, "spec.egress.mode"), "Audit", "Enforce", "Off");
    assertDefault(schemaAt(root, "spec.egress.mode"), "\"Off\"");
    assertThat(schemaAt(root, "spec.egress.mode").getDescription()).contains("NET_ADMIN");

    assertThat(schemaAt(root, "status").getProperties())
        .containsOnlyKeys(
            "observedGeneration", "conditions", "bundle", "policies", "pendingApprovals");
    assertThat(schemaAt(root, "status.observedGeneration").getType()).isEqualTo("integer");
    assertThat(schemaAt(root, "status.pendingApprovals").getType()).isEqualTo("integer");
    assertThat(schemaAt(root, "status.bundle").getProperties())
        .containsOnlyKeys("configMap", "revision");
    assertThat(schemaAt(root, "status.policies[]").getType()).isEqualTo("string");
    assertConditions(schemaAt(root, "status.conditions"));
  }

  @Test
  void toolScopeSchema() {
    JSONSchemaProps root = GeneratedCrds.rootSchema("toolscopes");
    assertThat(schemaAt(root, "spec").getProperties())
        .containsOnlyKeys("tools", "mcpServers", "egress", "gitRemotes");
    JSONSchemaProps remote = schemaAt(root, "spec.gitRemotes[]");
    assertThat(remote.getRequired()).containsExactlyInAnyOrder("name", "url");
    assertThat(remote.getProperties())
        .containsOnlyKeys("name", "url", "credentialsSecretRef", "caBundle");
    assertThat(schemaAt(root, "spec.gitRemotes[].caBundle").getMaxLength()).isEqualTo(65536L);
    assertThat(schemaAt(root, "spec.gitRemotes[].name").getPattern())
        .isEqualTo(FieldPatterns.GIT_REMOTE_NAME);
    assertThat(schemaAt(root, "spec.gitRemotes[].url").getPattern())
        .isEqualTo(FieldPatterns.GIT_HTTPS_URL);
    assertThat(schemaAt(root, "spec.gitRemotes[].credentialsSecretRef").getRequired())
        .containsExactlyInAnyOrder("name", "key");
    assertThat(schemaAt(root, "spec.gitRemotes").getMaxItems())
        .isEqualTo(ToolScopeSpec.MAX_GIT_REMOTES);
    assertThat(rules(schemaAt(root, "spec.gitRemotes")))
        .containsExactly("self.all(r, self.exists_one(o, o.name == r.name))");
    JSONSchemaProps destination = schemaAt(root, "spec.egress[]");
    assertThat(destination.getRequired()).containsExactlyInAnyOrder("host", "ports");
    assertThat(destination.getProperties()).containsOnlyKeys("host", "ports");
    assertThat(schemaAt(root, "spec.egress").getMaxItems()).isEqualTo(ToolScopeSpec.MAX_EGRESS);
    assertThat(schemaAt(root, "spec.egress[].ports[]").getType()).isEqualTo("integer");
    assertThat(schemaAt(root, "spec.egress[].ports[]").getMaximum()).isEqualTo(65535.0);
    assertThat(schemaAt(root, "spec.tools[]").getPattern()).isEqualTo(FieldPatterns.TOOL_PATTERN);
    JSONSchemaProps server = schemaAt(root, "spec.mcpServers[]");
    assertThat(server.getRequired()).containsExactlyInAnyOrder("name", "url");
    assertThat(server.getProperties())
        .containsOnlyKeys("name", "url", "tools", "credentialsSecretRef");
    assertThat(schemaAt(root, "spec.mcpServers[].name").getPattern())
        .isEqualTo("^[A-Za-z0-9][A-Za-z0-9-]{0,62}$");
    assertThat(schemaAt(root, "spec.mcpServers[].url").getPattern()).isEqualTo("^https?://.+");
    assertThat(schemaAt(root, "spec.mcpServers[].tools[]").getPattern())
        .isEqualTo(FieldPatterns.TOOL_PATTERN);
    assertThat(schemaAt(root, "spec.mcpServers[].credentialsSecretRef").getRequired())
        .containsExactlyInAnyOrder("name", "key");
    assertThat(rules(schemaAt(root, "spec.mcpServers")))
        .containsExactly("self.all(s, self.exists_one(o, o.name == s.name))");
    assertThat(schemaAt(root, "status").getProperties())
        .containsOnlyKeys("observedGeneration", "conditions", "identities");
    assertConditions(schemaAt(root, "status.conditions"));
  }

  @Test
  void toolPolicySchema() {
    JSONSchemaProps root = GeneratedCrds.rootSchema("toolpolicies");
    assertThat(schemaAt(root, "spec.agents").getProperties()).containsOnlyKeys("names", "selector");
    assertThat(rules(schemaAt(root, "spec.agents")))
        .containsExactly("(has(self.names) && size(self.names) > 0) || has(self.selector)");
    JSONSchemaProps rules = schemaAt(root, "spec.rules");
    assertThat(schemaAt(root, "spec").getRequired()).contains("rules");
    assertThat(rules.getMinItems()).isEqualTo(1L);
    JSONSchemaProps rule = schemaAt(root, "spec.rules[]");
    assertThat(rule.getRequired()).containsExactlyInAnyOrder("name", "tools", "effect");
    assertThat(rule.getProperties())
        .containsOnlyKeys("name", "tools", "when", "effect", "message", "approvers");
    assertThat(schemaAt(root, "spec.rules[].name").getPattern())
        .isEqualTo("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");
    assertThat(schemaAt(root, "spec.rules[].name").getMaxLength()).isEqualTo(63L);
    assertThat(schemaAt(root, "spec.rules[].tools").getMinItems()).isEqualTo(1L);
    assertThat(schemaAt(root, "spec.rules[].when").getType()).isEqualTo("string");
    assertEnum(schemaAt(root, "spec.rules[].effect"), "Allow", "Deny", "RequireApproval");
    assertThat(schemaAt(root, "spec.rules[].approvers[]").getPattern())
        .isEqualTo("^(user|group):\\S.*$");
    assertThat(schemaAt(root, "status").getProperties())
        .containsOnlyKeys("observedGeneration", "conditions", "identities");
    assertConditions(schemaAt(root, "status.conditions"));
  }

  @Test
  void toolCallApprovalSchema() {
    JSONSchemaProps root = GeneratedCrds.rootSchema("toolcallapprovals");
    JSONSchemaProps spec = schemaAt(root, "spec");
    assertThat(spec.getRequired())
        .containsExactlyInAnyOrder("identity", "pod", "tool", "argsDigest", "expiresAt");
    assertThat(spec.getProperties())
        .containsOnlyKeys(
            "identity",
            "pod",
            "tool",
            "argsDigest",
            "summary",
            "requestedBy",
            "approvers",
            "expiresAt",
            "decision",
            "decidedBy",
            "reason",
            "correlationId");
    assertThat(schemaAt(root, "spec.argsDigest").getPattern()).isEqualTo("^[0-9a-f]{64}$");
    assertThat(schemaAt(root, "spec.expiresAt").getType()).isEqualTo("string");
    assertThat(schemaAt(root, "spec.expiresAt").getFormat()).isEqualTo("date-time");
    assertEnum(schemaAt(root, "spec.decision"), "Approved", "Rejected");
    assertThat(rules(spec))
        .contains(
            "!has(oldSelf.decision) || (has(self.decision) && self.decision == oldSelf.decision)");
    for (String immutable : List.of("identity", "pod", "tool", "argsDigest", "expiresAt")) {
      assertThat(rules(schemaAt(root, "spec." + immutable)))
          .as(immutable)
          .containsExactly("self == oldSelf");
    }
    assertThat(schemaAt(root, "status").getProperties())
        .containsOnlyKeys("observedGeneration", "conditions", "phase", "decidedAt");
    assertEnum(schemaAt(root, "status.phase"), "Approved", "Expired", "Pending", "Rejected");
    assertThat(schemaAt(root, "status.decidedAt").getFormat()).isEqualTo("date-time");
    assertConditions(schemaAt(root, "status.conditions"));
  }

  private static void assertConditions(JSONSchemaProps conditions) {
    assertThat(conditions.getType()).isEqualTo("array");
    JSONSchemaProps condition = conditions.getItems().getSchema();
    assertThat(condition.getProperties())
        .containsOnlyKeys(
            "type", "status", "observedGeneration", "lastTransitionTime", "reason", "message");
    // metav1.Condition's validation, so that any writer's bad condition is refused.
    assertThat(condition.getRequired())
        .containsExactlyInAnyOrder("type", "status", "lastTransitionTime", "reason", "message");
    assertEnum(condition.getProperties().get("status"), "False", "True", "Unknown");
    assertThat(condition.getProperties().get("lastTransitionTime").getFormat())
        .isEqualTo("date-time");
    JSONSchemaProps reason = condition.getProperties().get("reason");
    assertThat(reason.getPattern()).isEqualTo("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$");
    assertThat(reason.getMinLength()).isEqualTo(1L);
    assertThat(reason.getMaxLength()).isEqualTo(1024L);
    assertThat(condition.getProperties().get("message").getMaxLength()).isEqualTo(32768L);
    JSONSchemaProps type = condition.getProperties().get("type");
    assertThat(type.getMaxLength()).isEqualTo(316L);
    assertThat(Pattern.compile(type.getPattern()).asPredicate())
        .accepts("Ready", "Stalled", "tollgate.dev/Audited")
        .rejects("", "Ready!", "-Ready", "Bad/Ready");
    // A list-map keyed by type: one condition per type, merged by type under server-side apply.
    assertThat(conditions.getXKubernetesListType()).isEqualTo("map");
    assertThat(conditions.getXKubernetesListMapKeys()).containsExactly("type");
  }

  private static void assertEnum(JSONSchemaProps schema, String... values) {
    assertThat(schema.getType()).isEqualTo("string");
    assertThat(schema.getEnum()).extracting(JsonNode::asText).containsExactlyInAnyOrder(values);
  }

  private static void assertDefault(JSONSchemaProps schema, String json) {
    assertThat(schema.getDefault()).as("default").isNotNull();
    assertThat(schema.getDefault().toString()).isEqualTo(json);
  }

  private static List<String> rules(JSONSchemaProps schema) {
    return schema.getXKubernetesValidations() == null
        ? List.of()
        : schema.getXKubernetesValidations().stream().map(ValidationRule::getRule).toList();
  }
}
