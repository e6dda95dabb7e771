package dev.tollgate.api;

/** Labels and annotations on ToolCallApprovals that the sidecar writes and the webhook guards. */
public final class ApprovalMarks {

  /** Set by the sidecar when the approval has allowed its one call: that call's correlation id. */
  public static final String CONSUMED_BY = "tollgate.dev/consumed-by";

  /** The pod whose call the approval covers, so humans can list a pod's approvals. */
  public static final String POD_LABEL = "tollgate.dev/pod";

  private ApprovalMarks() {}
}
