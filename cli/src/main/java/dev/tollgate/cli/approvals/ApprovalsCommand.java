package dev.tollgate.cli.approvals;

import dev.tollgate.api.v1alpha1.ToolCallApproval;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code approvals}: the ToolCallApprovals waiting for a human, oldest first. */
@Command(
    name = "approvals",
    description = "List pending ToolCallApprovals (tool, summary, requester, age, expiry).")
public final class ApprovalsCommand implements Callable<Integer> {

  @Mixin ClusterAccess cluster;

  @Option(
      names = {"-A", "--all-namespaces"},
      description = "List approvals in every namespace.")
  boolean allNamespaces;

  @Option(names = "--all", description = "Also list decided and expired approvals.")
  boolean all;

  @Spec CommandSpec spec;

  static Clock clock = Clock.systemUTC();

  @Override
  public Integer call() {
    Instant now = clock.instant();
    try (KubernetesClient client = cluster.client()) {
      List<ToolCallApproval> approvals =
          allNamespaces
              ? client.resources(ToolCallApproval.class).inAnyNamespace().list().getItems()
              : client
                  .resources(ToolCallApproval.class)
                  .inNamespace(cluster.namespace(client))
                  .list()
                  .getItems();
      List<String[]> rows = new ArrayList<>();
      approvals.stream()
          .filter(a -> a.getSpec() != null && (all || ApprovalView.pending(a, now)))
          .sorted(
              Comparator.comparing(
                  a ->
                      a.getMetadata().getCreationTimestamp() == null
                          ? ""
                          : a.getMetadata().getCreationTimestamp()))
          .forEach(a -> rows.add(row(a, now)));
      PrintWriter out = spec.commandLine().getOut();
      if (rows.isEmpty()) {
        out.println(all ? "No ToolCallApprovals found." : "No pending ToolCallApprovals.");
        return 0;
      }
      rows.add(0, header());
      print(out, rows);
      return 0;
    }
  }

  private String[] header() {
    List<String> header =
        new ArrayList<>(
            List.of(
                "NAME", "STATE", "TOOL", "SUMMARY", "REQUESTED-BY", "APPROVERS", "AGE", "EXPIRES"));
    if (allNamespaces) {
      header.add(0, "NAMESPACE");
    }
    return header.toArray(String[]::new);
  }

  private String[] row(ToolCallApproval approval, Instant now) {
    var spec = approval.getSpec();
    String created = approval.getMetadata().getCreationTimestamp();
    String age =
        created == null
            ? "-"
            : ApprovalView.age(Duration.between(OffsetDateTime.parse(created).toInstant(), now));
    String expires =
        ApprovalView.expiry(spec)
            .map(
                e ->
                    e.isAfter(now) ? "in " + ApprovalView.age(Duration.between(now, e)) : "expired")
            .orElse("invalid");
    String summary = ApprovalView.orDash(ApprovalView.firstLine(spec.getSummary()));
    if (summary.length() > 60) {
      summary = summary.substring(0, 59) + "…";
    }
    List<String> row =
        new ArrayList<>(
            List.of(
                approval.getMetadata().getName(),
                ApprovalView.state(approval, now),
                ApprovalView.orDash(spec.getTool()),
                summary,
                ApprovalView.orDash(spec.getRequestedBy()),
                spec.getApprovers() == null ? "-" : String.join(",", spec.getApprovers()),
                age,
                expires));
    if (allNamespaces) {
      row.add(0, approval.getMetadata().getNamespace());
    }
    return row.toArray(String[]::new);
  }

  private static void print(PrintWriter out, List<String[]> rows) {
    int[] widths = new int[rows.get(0).length];
    rows.forEach(
        r -> {
          for (int i = 0; i < r.length; i++) {
            widths[i] = Math.max(widths[i], r[i].length());
          }
        });
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        line.append(i == r.length - 1 ? r[i] : String.format("%-" + (widths[i] + 3) + "s", r[i]));
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
