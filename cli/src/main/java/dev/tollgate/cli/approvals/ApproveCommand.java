package dev.tollgate.cli.approvals;

import dev.tollgate.api.v1alpha1.ApprovalDecision;
import dev.tollgate.cli.ExitCode;
import picocli.CommandLine.Command;

/** {@code approve NAME [--reason TEXT]}. */
@Command(
    mixinStandardHelpOptions = true,
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      ExitCode.CLUSTER_OK_HELP,
      ExitCode.CLUSTER_FAILED_HELP,
      ExitCode.USAGE_HELP,
      ExitCode.INTERNAL_HELP
    },
    sortOptions = false,
    name = "approve",
    description = "Approve a pending ToolCallApproval: the held call (or its retry) runs once.")
public final class ApproveCommand extends DecisionCommand {

  @Override
  ApprovalDecision decision() {
    return ApprovalDecision.APPROVED;
  }
}
