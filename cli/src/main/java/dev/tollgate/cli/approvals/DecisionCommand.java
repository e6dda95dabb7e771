package dev.tollgate.cli.approvals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.v1alpha1.ApprovalDecision;
import dev.tollgate.api.v1alpha1.ToolCallApproval;
import dev.tollgate.cli.ExitCode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code approve} and {@code reject}: sets the decision (and reason) on a ToolCallApproval. Who
 * decided is not sent: Tollgate's webhook stamps it from the authenticated user, and refuses anyone
 * who is not among the approvers.
 */
abstract class DecisionCommand implements Callable<Integer> {

  @Mixin ClusterAccess cluster;

  @Parameters(index = "0", paramLabel = "NAME", description = "The ToolCallApproval to decide.")
  String name;

  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      description = "Why; recorded in the approval and the audit trail.")
  String reason;

  @Spec CommandSpec spec;

  abstract ApprovalDecision decision();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (KubernetesClient client = cluster.client()) {
      String namespace = cluster.namespace(client);
      var resource = client.resources(ToolCallApproval.class).inNamespace(namespace).withName(name);
      ToolCallApproval current = resource.get();
      if (current == null) {
        err.println("tollgate: ToolCallApproval " + namespace + "/" + name + " not found");
        return ExitCode.FAILED;
      }
      if (current.getSpec() != null && current.getSpec().getDecision() != null) {
        err.println(
            "tollgate: ToolCallApproval "
                + namespace
                + "/"
                + name
                + " was already decided ("
                + current.getSpec().getDecision()
                + " by "
                + ApprovalView.orDash(current.getSpec().getDecidedBy())
                + "); a decision cannot change");
        return ExitCode.FAILED;
      }
      ObjectNode patch = JsonNodeFactory.instance.objectNode();
      ObjectNode specPatch = patch.putObject("spec");
      specPatch.put("decision", decision().toString());
      if (reason != null && !reason.isBlank()) {
        specPatch.put("reason", reason);
      }
      ToolCallApproval decided =
          resource.patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
      out.println(
          decision().toString().toLowerCase(Locale.ROOT)
              + " ToolCallApproval "
              + namespace
              + "/"
              + name
              + " ("
              + ApprovalView.call(decided.getSpec())
              + ")"
              + (decided.getSpec().getDecidedBy() == null
                  ? ""
                  : ", decided by " + decided.getSpec().getDecidedBy()));
      return ExitCode.OK;
    } catch (KubernetesClientException e) {
      // The webhook's refusal (not an approver, expired, the agent's own account) is the message.
      String message =
          e.getStatus() != null && e.getStatus().getMessage() != null
              ? e.getStatus().getMessage()
              : e.getMessage();
      err.println("tollgate: cannot " + verb() + " " + name + ": " + message);
      return ExitCode.FAILED;
    }
  }

  private String verb() {
    return decision() == ApprovalDecision.APPROVED ? "approve" : "reject";
  }
}
