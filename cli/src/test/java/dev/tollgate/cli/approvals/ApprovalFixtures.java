package dev.tollgate.cli.approvals;

import dev.tollgate.api.v1alpha1.ToolCallApproval;
import io.fabric8.kubernetes.client.utils.Serialization;

/** ToolCallApprovals as the sidecar creates them, created at 2026-11-24T10:00:00Z. */
final class ApprovalFixtures {

  private ApprovalFixtures() {}

  static ToolCallApproval approval(
      String name, String namespace, String tool, String summary, String expiresAt) {
    return Serialization.unmarshal(
        """
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolCallApproval
        metadata: {name: %s, namespace: %s, creationTimestamp: "2026-11-24T10:00:00Z"}
        spec:
          identity: repo-coder
          pod: repo-coder-0
          tool: %s
          argsDigest: "%s"
          summary: '%s'
          requestedBy: user:alice
          approvers: ["group:platform-approvers"]
          expiresAt: "%s"
        """
            .formatted(name, namespace, tool, "ab".repeat(32), summary, expiresAt),
        ToolCallApproval.class);
  }
}
