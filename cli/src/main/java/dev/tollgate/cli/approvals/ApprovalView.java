package dev.tollgate.cli.approvals;

import dev.tollgate.api.ApprovalMarks;
import dev.tollgate.api.v1alpha1.ApprovalPhase;
import dev.tollgate.api.v1alpha1.ToolCallApproval;
import dev.tollgate.api.v1alpha1.ToolCallApprovalSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** How a ToolCallApproval reads to a human deciding it. */
final class ApprovalView {

  private ApprovalView() {}

  /** Pending, Approved, Rejected, Expired or Used, from the spec first (status may lag). */
  static String state(ToolCallApproval approval, Instant now) {
    ToolCallApprovalSpec spec = approval.getSpec();
    if (spec.getDecision() != null) {
      boolean used =
          approval.getMetadata().getAnnotations() != null
              && approval.getMetadata().getAnnotations().containsKey(ApprovalMarks.CONSUMED_BY);
      return spec.getDecision() + (used ? " (used)" : "");
    }
    if (approval.getStatus() != null && approval.getStatus().getPhase() == ApprovalPhase.EXPIRED) {
      return "Expired";
    }
    return expiry(spec).map(e -> e.isAfter(now) ? "Pending" : "Expired").orElse("Expired");
  }

  /**
   * The call in one phrase, {@code TOOL: what}. The sidecar's summaries already start with the
   * tool's name; a summary written otherwise gets it in front. Only the first line: below it, a
   * shell command's summary lists what the parser found, which {@code show} prints.
   */
  static String call(ToolCallApprovalSpec spec) {
    String tool = orDash(spec.getTool());
    String summary = firstLine(spec.getSummary());
    if (summary.isEmpty()) {
      return tool;
    }
    return summary.startsWith(tool + ":") ? summary : tool + ": " + summary;
  }

  static boolean pending(ToolCallApproval approval, Instant now) {
    return approval.getSpec() != null && "Pending".equals(state(approval, now));
  }

  static Optional<Instant> expiry(ToolCallApprovalSpec spec) {
    try {
      return Optional.of(OffsetDateTime.parse(spec.getExpiresAt()).toInstant());
    } catch (DateTimeParseException | NullPointerException e) {
      return Optional.empty();
    }
  }

  /** kubectl's compact age: 45s, 12m, 3h, 2d. */
  static String age(Duration duration) {
    long seconds = Math.abs(duration.getSeconds());
    String text =
        seconds < 120
            ? seconds + "s"
            : seconds < 7_200
                ? seconds / 60 + "m"
                : seconds < 172_800 ? seconds / 3_600 + "h" : seconds / 86_400 + "d";
    return duration.isNegative() ? "-" + text : text;
  }

  /** The first line of a summary, stripped; empty for none. */
  static String firstLine(String summary) {
    return summary == null ? "" : summary.strip().lines().findFirst().orElse("");
  }

  static String orDash(String text) {
    return text == null || text.isBlank() ? "-" : text;
  }
}
