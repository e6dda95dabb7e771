package dev.tollgate.cli.approvals;

import dev.tollgate.api.v1alpha1.ApprovalDecision;
import picocli.CommandLine.Command;

/** {@code approve NAME [--reason TEXT]}. */
@Command(
    mixinStandardHelpOptions = true,
    sortOptions = false,
    name = "approve",
    description = "Approve a pending ToolCallApproval: the held call (or its retry) runs once.")
public final class ApproveCommand extends DecisionCommand {

  @Override
  ApprovalDecision decision() {
    return ApprovalDecision.APPROVED;
  }
}
