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

  private PodAnnotations() {}
}
