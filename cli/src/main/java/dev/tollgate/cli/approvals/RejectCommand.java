package dev.tollgate.cli.approvals;

import dev.tollgate.api.v1alpha1.ApprovalDecision;
import picocli.CommandLine.Command;

/** {@code reject NAME [--reason TEXT]}. */
@Command(
    mixinStandardHelpOptions = true,
    sortOptions = false,
    name = "reject",
    description = "Reject a pending ToolCallApproval: the held call is denied with your reason.")
public final class RejectCommand extends DecisionCommand {

  @Override
  ApprovalDecision decision() {
    return ApprovalDecision.REJECTED;
  }
}
