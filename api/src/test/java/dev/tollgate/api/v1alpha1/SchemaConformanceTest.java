package dev.tollgate.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SchemaConformanceTest {

  @ParameterizedTest
  @CsvSource({
    "agentidentity.yaml, agentidentities",
    "toolscope.yaml, toolscopes",
    "toolpolicy.yaml, toolpolicies",
    "toolcallapproval.yaml, toolcallapprovals"
  })
  void samplesFitTheGeneratedSchema(String sample, String plural) {
    assertThat(SchemaValidator.validate(GeneratedCrds.rootSchema(plural), Samples.tree(sample)))
        .isEmpty();
  }

  @Test
  void agentIdentityRejects() {
    assertRejected(
        "agentidentity.yaml",
        "agentidentities",
        "spec.serviceAccountName: required",
        o -> spec(o).remove("serviceAccountName"));
    assertRejected(
        "agentidentity.yaml",
        "agentidentities",
        "spec.mode: enforce is not one of",
        o -> spec(o).put("mode", "enforce"));
    assertRejected(
        "agentidentity.yaml",
        "agentidentities",
        "spec.runtime: Copilot is not one of",
        o -> spec(o).put("runtime", "Copilot"));
    assertRejected(
        "agentidentity.yaml",
        "agentidentities",
        "spec.egress.mode: enforce is not one of",
        o -> spec(o).withObjectProperty("egress").put("mode", "enforce"));
    assertRejected(
        "agentidentity.yaml",
        "agentidentities",
        "spec.approval.timeoutSeconds: must be at least 1",
        o -> spec(o).withObjectProperty("approval").put("timeoutSeconds", 0));
    assertRejected(
        "agentidentity.yaml",
        "agentidentities",
        "spec.approval.timeoutSeconds: must be at most 86400",
        o -> spec(o).withObjectProperty("approval").put("timeoutSeconds", 86401));
    assertRejected(
        "agentidentity.yaml",
        "agentidentities",
        "spec.delegation.allowedPrincipals[2]: alice does not match",
        o ->
            spec(o)
                .withObjectProperty("delegation")
                .withArrayProperty("allowedPrincipals")
                .add("alice"));
    assertRejected(
        "agentidentity.yaml",
        "agentidentities",
        "spec.delegation.allowedPrincipals[2]: user: alice does not match",
        o ->
            spec(o)
                .withObjectProperty("delegation")
                .withArrayProperty("allowedPrincipals")
                .add("user: alice"));
    assertRejected(
        "agentidentity.yaml",
        "agentidentities",
        "spec.approval.defaultApprovers[1]: team:x does not match",
        o ->
            spec(o)
                .withObjectProperty("approval")
                .withArrayProperty("defaultApprovers")
                .add("team:x"));
    assertRejected(
        "agentidentity.yaml",
        "agentidentities",
        "spec.toolScopes[2].name: required",
        o -> spec(o).withArrayProperty("toolScopes").addObject());
    assertRejected(
        "agentidentity.yaml",
        "agentidentities",
        "spec.toolscopes: unknown field",
        o -> spec(o).putArray("toolscopes"));
  }

  @Test
  void toolScopeRejects() {
    assertRejected(
        "toolscope.yaml",
        "toolscopes",
        "spec.mcpServers[0].name: git_hub does not match",
        o -> server(o).put("name", "git_hub"));
    assertRejected(
        "toolscope.yaml",
        "toolscopes",
        "spec.mcpServers[0].name: -github does not match",
        o -> server(o).put("name", "-github"));
    assertRejected(
        "toolscope.yaml",
        "toolscopes",
        "does not match",
        o -> server(o).put("name", "a".repeat(64)));
    assertRejected(
        "toolscope.yaml",
        "toolscopes",
        "spec.mcpServers[0].url: ftp://example.com does not match",
        o -> server(o).put("url", "ftp://example.com"));
    assertRejected(
        "toolscope.yaml",
        "toolscopes",
        "spec.mcpServers[0].url: required",
        o -> server(o).remove("url"));
    assertRejected(
        "toolscope.yaml",
        "toolscopes",
        "spec.mcpServers[0].credentialsSecretRef.key: required",
        o -> server(o).withObjectProperty("credentialsSecretRef").remove("key"));
    assertRejected(
        "toolscope.yaml",
        "toolscopes",
        "spec.tools[4]: Bash(git *) does not match",
        o -> spec(o).withArrayProperty("tools").add("Bash(git *)"));
    for (String url :
        new String[] {
          "http://github.com/acme/shop",
          "https://user:token@github.com/acme/shop",
          "https://github.com/acme/shop?x=1",
          "https://github.com/acme/shop#main",
          "git@github.com:acme/shop.git",
          "https://"
        }) {
      assertRejected(
          "toolscope.yaml",
          "toolscopes",
          "spec.gitRemotes[0].url: " + url + " does not match",
          o -> remote(o).put("url", url));
    }
    assertRejected(
        "toolscope.yaml",
        "toolscopes",
        "spec.gitRemotes[0].name: Shop does not match",
        o -> remote(o).put("name", "Shop"));
    assertRejected(
        "toolscope.yaml",
        "toolscopes",
        "spec.gitRemotes[0].url: required",
        o -> remote(o).remove("url"));
    assertRejected(
        "toolscope.yaml",
        "toolscopes",
        "spec.gitRemotes[0].credentialsSecretRef.name: required",
        o -> remote(o).withObjectProperty("credentialsSecretRef").remove("name"));
  }

  @Test
  void toolPolicyRejects() {
    assertRejected(
        "toolpolicy.yaml",
        "toolpolicies",
        "spec.rules: must have at least 1 items",
        o -> spec(o).putArray("rules"));
    assertRejected(
        "toolpolicy.yaml",
        "toolpolicies",
        "spec.rules[0].name: Allow_Reads does not match",
        o -> rule(o).put("name", "Allow_Reads"));
    assertRejected(
        "toolpolicy.yaml",
        "toolpolicies",
        "spec.rules[0].name: longer than 63",
        o -> rule(o).put("name", "a".repeat(64)));
    assertRejected(
        "toolpolicy.yaml",
        "toolpolicies",
        "spec.rules[0].tools: must have at least 1 items",
        o -> rule(o).putArray("tools"));
    assertRejected(
        "toolpolicy.yaml",
        "toolpolicies",
        "spec.rules[0].effect: Ask is not one of",
        o -> rule(o).put("effect", "Ask"));
    assertRejected(
        "toolpolicy.yaml",
        "toolpolicies",
        "spec.rules[0].effect: required",
        o -> rule(o).remove("effect"));
    assertRejected(
        "toolpolicy.yaml", "toolpolicies", "spec.agents: required", o -> spec(o).remove("agents"));
  }

  @Test
  void toolCallApprovalRejects() {
    assertRejected(
        "toolcallapproval.yaml",
        "toolcallapprovals",
        "spec.argsDigest: ",
        o ->
            spec(o)
                .put(
                    "argsDigest",
                    "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"));
    assertRejected(
        "toolcallapproval.yaml",
        "toolcallapprovals",
        "spec.argsDigest: ",
        o -> spec(o).put("argsDigest", "abc"));
    assertRejected(
        "toolcallapproval.yaml",
        "toolcallapprovals",
        "spec.expiresAt: in five minutes is not an RFC 3339",
        o -> spec(o).put("expiresAt", "in five minutes"));
    assertRejected(
        "toolcallapproval.yaml",
        "toolcallapprovals",
        "spec.decision: Maybe is not one of",
        o -> spec(o).put("decision", "Maybe"));
    for (String required : List.of("identity", "pod", "tool", "argsDigest", "expiresAt")) {
      assertRejected(
          "toolcallapproval.yaml",
          "toolcallapprovals",
          "spec." + required + ": required",
          o -> spec(o).remove(required));
    }
    assertRejected(
        "toolcallapproval.yaml",
        "toolcallapprovals",
        "status.phase: Waiting is not one of",
        o -> ((ObjectNode) o.get("status")).put("phase", "Waiting"));
  }

  private static ObjectNode spec(ObjectNode object) {
    return (ObjectNode) object.get("spec");
  }

  private static ObjectNode server(ObjectNode object) {
    return (ObjectNode) ((ArrayNode) spec(object).get("mcpServers")).get(0);
  }

  private static ObjectNode remote(ObjectNode object) {
    return (ObjectNode) ((ArrayNode) spec(object).get("gitRemotes")).get(0);
  }

  private static ObjectNode rule(ObjectNode object) {
    return (ObjectNode) ((ArrayNode) spec(object).get("rules")).get(0);
  }

  private static void assertRejected(
      String sample, String plural, String expectedError, Consumer<ObjectNode> change) {
    ObjectNode object = Samples.tree(sample);
    change.accept(object);
    assertThat(SchemaValidator.validate(GeneratedCrds.rootSchema(plural), object))
        .as("errors for %s changed to expect '%s'", sample, expectedError)
        .anySatisfy(error -> assertThat(error).contains(expectedError));
  }
}
