package dev.tollgate.cli;

/**
 * The exit codes of every command, one meaning each, so a pipeline can tell a policy that fails its
 * tests from input that could not be checked at all.
 */
public final class ExitCode {

  /** Everything checked passed (for eval: a decision was made, whatever it is). */
  public static final int OK = 0;

  /** The check ran and failed: a test case, the survey's threshold, or an approval refused. */
  public static final int FAILED = 1;

  /**
   * Nothing could be checked: invalid manifests, test files or hook input, a usage error, or a test
   * filter that selects no case.
   */
  public static final int INVALID_INPUT = 2;

  /** A bug in tollgate (run again with --debug). */
  public static final int INTERNAL_ERROR = 3;

  // The help texts of exitCodeList; annotation values must be constants.
  static final String OK_HELP = "0:Success: everything checked passed (for eval: any decision).";
  static final String FAILED_HELP =
      "1:Checked and failed: a test case failed, the survey's minimum was missed, or the cluster "
          + "refused the request (not found, not an approver, already decided, unreachable).";
  static final String INVALID_HELP =
      "2:Nothing could be checked: invalid manifests, test files or input, a usage error "
          + "(unknown option, bad value), or --run matching no test case.";
  public static final String INTERNAL_HELP = "3:Internal error (--debug shows the stack trace).";

  // The approvals commands' list: they check nothing, they ask the cluster.
  public static final String CLUSTER_OK_HELP = "0:Done.";
  public static final String CLUSTER_FAILED_HELP =
      "1:The cluster refused or could not be reached (not found, not an approver, already "
          + "decided, not allowed by RBAC).";
  public static final String USAGE_HELP =
      "2:Usage error (unknown option or -o value, missing argument).";

  private ExitCode() {}
}
