package dev.tollgate.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small manifest sets written to a temporary folder, each test changing one thing. */
final class Manifests {

  static final String IDENTITY =
      """
      apiVersion: tollgate.dev/v1alpha1
      kind: AgentIdentity
      metadata: {name: coder, namespace: team}
      spec:
        serviceAccountName: coder
        toolScopes: [{name: base}]
        approval: {defaultApprovers: ["group:leads"]}
      """;

  static final String SCOPE =
      """
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolScope
      metadata: {name: base, namespace: team}
      spec:
        tools: [Read, Bash]
      """;

  private Manifests() {}

  /** A policy for team/coder with the given rules (YAML list items, indented by four). */
  static String policy(String rules) {
    return """
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolPolicy
        metadata: {name: p, namespace: team}
        spec:
          agents: {names: [coder]}
          rules:
        """
        + rules.stripTrailing()
        + "\n";
  }

  /** Writes identity, scope and {@code policy.yaml} with the given content; returns the folder. */
  static Path folderWithPolicy(Path dir, String policyYaml) {
    write(dir.resolve("identity.yaml"), IDENTITY);
    write(dir.resolve("scope.yaml"), SCOPE);
    write(dir.resolve("policy.yaml"), policyYaml);
    return dir;
  }

  static Path write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      return Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
