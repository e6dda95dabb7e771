package dev.tollgate.sidecar.hookclient;

import dev.tollgate.sidecar.SidecarFixture;
import java.nio.file.Path;

/** The hook client tests' sidecar: the shared fixture, with Write in scope and no approval rule. */
final class LiveSidecar {

  static final String POLICIES =
      """
      apiVersion: tollgate.dev/v1alpha1
      kind: AgentIdentity
      metadata: {name: coder, namespace: team-a}
      spec:
        serviceAccountName: coder
        toolScopes: [{name: base}]
      ---
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolScope
      metadata: {name: base, namespace: team-a}
      spec: {tools: [Read, Write, Bash]}
      ---
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolPolicy
      metadata: {name: coding, namespace: team-a}
      spec:
        agents: {names: [coder]}
        rules:
          - {name: files, tools: [Read, Write], effect: Allow, when: "resource.path.startsWith('/workspace/')"}
          - {name: shell, tools: [Bash], effect: Allow}
          - {name: no-rm, tools: [Bash], when: "resource.program == 'rm'", effect: Deny, message: "rm is not allowed"}
      """;

  private LiveSidecar() {}

  static SidecarFixture start(Path dir) throws Exception {
    return SidecarFixture.startWith(dir, POLICIES, "--identity", "team-a/coder");
  }
}
