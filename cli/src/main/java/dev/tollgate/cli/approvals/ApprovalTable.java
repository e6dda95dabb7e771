package dev.tollgate.cli.approvals;

import dev.tollgate.api.v1alpha1.ToolCallApproval;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** The table {@code approvals} prints: one row an approval, columns as kubectl aligns them. */
final class ApprovalTable {

  /** Column widths a watch starts with, before it has seen any row. */
  private static final int[] WATCH_WIDTHS = {24, 8, 10, 40, 14, 26, 5, 7};

  private final boolean namespaces;

  ApprovalTable(boolean namespaces) {
    this.namespaces = namespaces;
  }

  String[] header() {
    List<String> header =
        new ArrayList<>(
            List.of(
                "NAME", "STATE", "TOOL", "SUMMARY", "REQUESTED-BY", "APPROVERS", "AGE", "EXPIRES"));
    if (namespaces) {
      header.add(0, "NAMESPACE");
    }
    return header.toArray(String[]::new);
  }

  /** One approval's row; {@code state} null means the state it is in at {@code now}. */
  String[] row(ToolCallApproval approval, Instant now, String state) {
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
                state == null ? ApprovalView.state(approval, now) : state,
                ApprovalView.orDash(spec.getTool()),
                summary,
                ApprovalView.orDash(spec.getRequestedBy()),
                spec.getApprovers() == null ? "-" : String.join(",", spec.getApprovers()),
                age,
                expires));
    if (namespaces) {
      row.add(0, approval.getMetadata().getNamespace());
    }
    return row.toArray(String[]::new);
  }

  /** The widths a watch pads its rows to: the header's, and room for typical values. */
  int[] watchWidths() {
    int[] widths = new int[header().length];
    int offset = namespaces ? 1 : 0;
    if (namespaces) {
      widths[0] = 12;
    }
    System.arraycopy(WATCH_WIDTHS, 0, widths, offset, WATCH_WIDTHS.length);
    return widths;
  }

  /** Rows aligned on their widest cell; the first row is the header. */
  static void print(PrintWriter out, List<String[]> rows) {
    int[] widths = new int[rows.get(0).length];
    rows.forEach(
        r -> {
          for (int i = 0; i < r.length; i++) {
            widths[i] = Math.max(widths[i], r[i].length());
          }
        });
    rows.forEach(r -> line(out, r, widths));
  }

  static void line(PrintWriter out, String[] row, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < row.length; i++) {
      line.append(
          i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 3) + "s", row[i]));
    }
    out.println(line.toString().stripTrailing());
  }
}
