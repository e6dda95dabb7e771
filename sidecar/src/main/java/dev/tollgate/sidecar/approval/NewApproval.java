package dev.tollgate.sidecar.approval;

import java.time.Instant;
import java.util.List;

/** What the sidecar asks a human to decide: one call, by one pod, with one set of arguments. */
public record NewApproval(
    String identity,
    String pod,
    String tool,
    String argsDigest,
    String summary,
    String requestedBy,
    List<String> approvers,
    Instant expiresAt,
    String correlationId) {

  public NewApproval {
    approvers = List.copyOf(approvers);
  }
}
