package dev.tollgate.webhook.injection;

/** The pod annotations Tollgate reads and writes. */
public final class PodAnnotations {

  /** Every annotation Tollgate writes starts with this; none may change after admission. */
  public static final String PREFIX = "tollgate.dev/";

  /** Set on injected pods. */
  public static final String INJECTED = "tollgate.dev/injected";

  /** The AgentIdentity ({@code namespace/name}) the pod runs as. */
  public static final String IDENTITY = "tollgate.dev/identity";

  /** The bundle revision published when the pod was admitted. */
  public static final String BUNDLE_REVISION = "tollgate.dev/bundle-revision";

  /** Who created the pod, from the request's authenticated user: never taken from the pod. */
  public static final String REQUESTED_BY = "tollgate.dev/requested-by";

  /** The user the agent acts for. */
  public static final String ON_BEHALF_OF = "tollgate.dev/on-behalf-of";

  /** That user's groups, comma-separated. */
  public static final String ON_BEHALF_OF_GROUPS = "tollgate.dev/on-behalf-of-groups";

  /**
   * For runtime GeminiCli: Gemini CLI's system settings, which a downward-API volume projects into
   * the agent container as a root-owned file (Gemini CLI ignores a settings file that is not).
   */
  public static final String GEMINI_CLI_SETTINGS = "tollgate.dev/gemini-cli-settings";

  /**
   * Every annotation a pod's author may set to tune its decision point starts with this; one
   * Tollgate does not read is refused, so a misspelt one is not silently ignored.
   */
  public static final String SIDECAR_PREFIX = "tollgate.dev/sidecar-";

  /** The decision point's CPU request for this pod (within the cluster's cap). */
  public static final String SIDECAR_CPU_REQUEST = "tollgate.dev/sidecar-cpu-request";

  /** The decision point's CPU limit for this pod (within the cluster's cap). */
  public static final String SIDECAR_CPU_LIMIT = "tollgate.dev/sidecar-cpu-limit";

  /** The decision point's memory request for this pod (within the cluster's cap). */
  public static final String SIDECAR_MEMORY_REQUEST = "tollgate.dev/sidecar-memory-request";

  /** The decision point's memory limit for this pod (within the cluster's cap). */
  public static final String SIDECAR_MEMORY_LIMIT = "tollgate.dev/sidecar-memory-limit";

  /**
   * Never honoured, always refused: the decision point's JVM flags are the cluster's, because a
   * flag such as {@code -javaagent} would run the pod author's code inside the decision point.
   */
  public static final String SIDECAR_JVM_OPTIONS = "tollgate.dev/sidecar-jvm-options";

  private PodAnnotations() {}
}
