package dev.tollgate.cli.approvals;

import dev.tollgate.api.v1alpha1.ApprovalDecision;
import dev.tollgate.cli.ExitCode;
import picocli.CommandLine.Command;

/** {@code reject NAME [--reason TEXT]}. */
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
    name = "reject",
    description = "Reject a pending ToolCallApproval: the held call is denied with your reason.")
public final class RejectCommand extends DecisionCommand {

  @Override
  ApprovalDecision decision() {
    return ApprovalDecision.REJECTED;
  }
}
