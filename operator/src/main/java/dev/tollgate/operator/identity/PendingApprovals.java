package dev.tollgate.operator.identity;

import dev.tollgate.api.v1alpha1.ApprovalPhase;
import dev.tollgate.api.v1alpha1.ToolCallApproval;
import java.util.stream.Stream;

/** Approvals still waiting for a human: undecided and not (yet) marked Expired by the operator. */
final class PendingApprovals {

  private PendingApprovals() {}

  static boolean isPending(ToolCallApproval approval) {
    return approval.getSpec() != null
        && approval.getSpec().getDecision() == null
        && (approval.getStatus() == null
            || approval.getStatus().getPhase() != ApprovalPhase.EXPIRED);
  }

  static int count(Stream<ToolCallApproval> approvals, String identity) {
    return (int)
        approvals
            .filter(a -> a.getSpec() != null && identity.equals(a.getSpec().getIdentity()))
            .filter(PendingApprovals::isPending)
            .count();
  }
}
