package dev.tollgate.cli.approvals;

import dev.tollgate.api.ApprovalMarks;
import dev.tollgate.api.v1alpha1.ToolCallApproval;
import dev.tollgate.cli.ExitCode;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code show NAME}: everything an approver needs to decide one approval. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      ExitCode.CLUSTER_OK_HELP,
      ExitCode.CLUSTER_FAILED_HELP,
      ExitCode.USAGE_HELP,
      ExitCode.INTERNAL_HELP
    },
    sortOptions = false,
    description = "Show one ToolCallApproval: the call, who asked, who may decide, and its state.")
public final class ShowCommand implements Callable<Integer> {

  @Mixin ClusterAccess cluster;

  @Parameters(index = "0", paramLabel = "NAME", description = "The ToolCallApproval.")
  String name;

  @Mixin ApprovalFormat.Choice output;

  @Spec CommandSpec spec;

  static Clock clock = Clock.systemUTC();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (KubernetesClient client = cluster.client()) {
      String namespace = cluster.namespace(client);
      ToolCallApproval approval =
          client.resources(ToolCallApproval.class).inNamespace(namespace).withName(name).get();
      if (approval == null || approval.getSpec() == null) {
        spec.commandLine()
            .getErr()
            .println("tollgate: ToolCallApproval " + namespace + "/" + name + " not found");
        return ExitCode.FAILED;
      }
      if (output.format != null) {
        new ApprovalPrinter(output.format, out).one(approval);
        return ExitCode.OK;
      }
      var s = approval.getSpec();
      line(out, "Name", namespace + "/" + name);
      line(out, "State", ApprovalView.state(approval, clock.instant()));
      line(out, "Identity", s.getIdentity());
      line(out, "Pod", s.getPod());
      line(out, "Tool", s.getTool());
      line(out, "Summary", s.getSummary());
      line(out, "Args digest", s.getArgsDigest());
      line(out, "Requested by", s.getRequestedBy());
      line(out, "Approvers", s.getApprovers() == null ? null : String.join(", ", s.getApprovers()));
      line(out, "Created", approval.getMetadata().getCreationTimestamp());
      line(out, "Expires", s.getExpiresAt());
      line(out, "Decision", s.getDecision() == null ? null : s.getDecision().toString());
      line(out, "Decided by", s.getDecidedBy());
      line(out, "Reason", s.getReason());
      line(
          out,
          "Used by call",
          approval.getMetadata().getAnnotations() == null
              ? null
              : approval.getMetadata().getAnnotations().get(ApprovalMarks.CONSUMED_BY));
      line(out, "Call id", s.getCorrelationId());
      return ExitCode.OK;
    }
  }

  /** A multi-line value (the summary of a shell command) continues under its first line. */
  private static void line(PrintWriter out, String label, String value) {
    String text = ApprovalView.orDash(value).replace("\n", "\n" + " ".repeat(15));
    out.printf("%-14s %s%n", label + ":", text);
  }
}
