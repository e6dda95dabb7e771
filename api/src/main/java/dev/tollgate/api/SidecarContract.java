package dev.tollgate.api;

/**
 * What the webhook puts into an agent pod and the sidecar (and its hook client) reads back: ports,
 * environment variable names and mount paths. Both sides use these constants, so the injection and
 * the binary cannot drift apart (as {@link BundleConfigMaps} does for the bundle).
 */
public final class SidecarContract {

  private SidecarContract() {}

  /** Ports of the sidecar inside the pod. */
  public static final class Ports {
    /** Decision endpoints (hooks, AuthZEN, MCP), bound to loopback only. */
    public static final int DECISION = 9440;

    /** Health and metrics for the kubelet and Prometheus; never decisions. */
    public static final int OPS = 9441;

    /**
     * The egress proxy the agent containers are given as {@code HTTPS_PROXY} / {@code HTTP_PROXY},
     * bound to loopback only: with egress Enforce it is the agent's only way off the pod.
     */
    public static final int EGRESS = 9442;

    private Ports() {}
  }

  /** Environment of the sidecar container (flags override them). */
  public static final class SidecarEnv {
    public static final String BUNDLE = "TOLLGATE_BUNDLE";
    public static final String LISTEN = "TOLLGATE_LISTEN";
    public static final String IDENTITY = "TOLLGATE_IDENTITY";
    public static final String POD_NAME = "TOLLGATE_POD_NAME";
    public static final String POD_NAMESPACE = "TOLLGATE_POD_NAMESPACE";
    public static final String POD_UID = "TOLLGATE_POD_UID";
    public static final String PRINCIPAL = "TOLLGATE_PRINCIPAL";
    public static final String GROUPS = "TOLLGATE_GROUPS";

    /** The webhook's proof of the principal, for the pods of this identity in this namespace. */
    public static final String DELEGATION_PROOF = "TOLLGATE_DELEGATION_PROOF";

    /** {@code namespace/name} of the ConfigMap holding the webhook's public delegation keys. */
    public static final String DELEGATION_KEYS = "TOLLGATE_DELEGATION_KEYS";

    public static final String AGENT_HOME = "TOLLGATE_AGENT_HOME";
    public static final String MAX_BODY_BYTES = "TOLLGATE_MAX_BODY_BYTES";
    public static final String RELOAD_INTERVAL_MS = "TOLLGATE_RELOAD_INTERVAL_MS";

    /**
     * {@code auto} (in a cluster), {@code on} or {@code off}: follow the identity's bundle
     * ConfigMap through the API as well as the file, so policy changes arrive in seconds.
     */
    public static final String BUNDLE_WATCH = "TOLLGATE_BUNDLE_WATCH";

    public static final String THREADS = "TOLLGATE_THREADS";
    public static final String EVENTS = "TOLLGATE_EVENTS";
    public static final String OPS_LISTEN = "TOLLGATE_OPS_LISTEN";
    public static final String APPROVALS = "TOLLGATE_APPROVALS";
    public static final String APPROVAL_LIFETIME_SECONDS = "TOLLGATE_APPROVAL_LIFETIME_SECONDS";
    public static final String MCP_DENIAL = "TOLLGATE_MCP_DENIAL";
    public static final String MCP_OTHER_METHODS = "TOLLGATE_MCP_OTHER_METHODS";
    public static final String MCP_MAX_REQUEST_BYTES = "TOLLGATE_MCP_MAX_REQUEST_BYTES";
    public static final String MCP_MAX_RESPONSE_BYTES = "TOLLGATE_MCP_MAX_RESPONSE_BYTES";
    public static final String MCP_CONNECT_TIMEOUT_MS = "TOLLGATE_MCP_CONNECT_TIMEOUT_MS";
    public static final String MCP_READ_TIMEOUT_MS = "TOLLGATE_MCP_READ_TIMEOUT_MS";
    public static final String MCP_THREADS = "TOLLGATE_MCP_THREADS";
    public static final String MCP_CREDENTIALS_DIR = "TOLLGATE_MCP_CREDENTIALS_DIR";

    /** The git gateway's bare mirrors, one per remote: a writable, disk-backed directory. */
    public static final String GIT_MIRROR_DIR = "TOLLGATE_GIT_MIRROR_DIR";

    /** Upstream git credentials, {@code <dir>/<remote>/token}, in the sidecar alone. */
    public static final String GIT_CREDENTIALS_DIR = "TOLLGATE_GIT_CREDENTIALS_DIR";

    public static final String GIT_UPSTREAM_TIMEOUT_MS = "TOLLGATE_GIT_UPSTREAM_TIMEOUT_MS";
    public static final String GIT_MAX_PACK_BYTES = "TOLLGATE_GIT_MAX_PACK_BYTES";
    public static final String GIT_THREADS = "TOLLGATE_GIT_THREADS";

    /**
     * {@code sha1dc} (collision-detecting SHA-1, as git and GitHub) or {@code jdk} (the JDK's
     * SHA-1, faster, no collision detection) for the object ids the git gateway computes.
     */
    public static final String GIT_SHA1 = "TOLLGATE_GIT_SHA1";

    /** {@code host:port} of the egress proxy; unset or empty keeps the egress gate off. */
    public static final String EGRESS_LISTEN = "TOLLGATE_EGRESS_LISTEN";

    /**
     * {@code enforce} (a connection the policies refuse is refused) or {@code audit} (it connects,
     * and the audit records what Enforce would have decided): the identity's egress mode.
     */
    public static final String EGRESS_MODE = "TOLLGATE_EGRESS_MODE";

    public static final String EGRESS_HANDSHAKE_THREADS = "TOLLGATE_EGRESS_HANDSHAKE_THREADS";
    public static final String EGRESS_RELAY_THREADS = "TOLLGATE_EGRESS_RELAY_THREADS";
    public static final String EGRESS_MAX_TUNNELS = "TOLLGATE_EGRESS_MAX_TUNNELS";
    public static final String EGRESS_CONNECT_TIMEOUT_MS = "TOLLGATE_EGRESS_CONNECT_TIMEOUT_MS";
    public static final String EGRESS_HANDSHAKE_TIMEOUT_MS = "TOLLGATE_EGRESS_HANDSHAKE_TIMEOUT_MS";
    public static final String EGRESS_IDLE_TIMEOUT_MS = "TOLLGATE_EGRESS_IDLE_TIMEOUT_MS";
    public static final String EGRESS_MAX_DURATION_MS = "TOLLGATE_EGRESS_MAX_DURATION_MS";
    public static final String EGRESS_MAX_BYTES = "TOLLGATE_EGRESS_MAX_BYTES";
    public static final String EGRESS_TLS_PORTS = "TOLLGATE_EGRESS_TLS_PORTS";

    private SidecarEnv() {}
  }

  /**
   * Command-line options of the sidecar that the injection passes (each overrides its {@link
   * SidecarEnv}).
   */
  public static final class Flags {
    public static final String BUNDLE = "--bundle";
    public static final String LISTEN = "--listen";
    public static final String OPS_LISTEN = "--ops-listen";
    public static final String IDENTITY = "--identity";
    public static final String EGRESS_LISTEN = "--egress-listen";

    private Flags() {}
  }

  /**
   * Paths of the sidecar's health endpoints on {@link Ports#OPS}, which the injected probes ask.
   */
  public static final class Health {
    /** Ready while a valid bundle is enforced: the startup and readiness probes. */
    public static final String READY = "/readyz";

    /** The process answers: the liveness probe. */
    public static final String LIVE = "/healthz";

    private Health() {}
  }

  /** Environment of the installer init container. */
  public static final class InstallerEnv {
    /**
     * The Claude Code managed settings JSON the installer writes into {@link Paths#SETTINGS_DIR}.
     */
    public static final String MANAGED_SETTINGS = "TOLLGATE_MANAGED_SETTINGS";

    /**
     * Claude Code's managed MCP configuration JSON the installer writes beside the managed
     * settings: the only MCP servers Claude Code may use.
     */
    public static final String MANAGED_MCP = "TOLLGATE_MANAGED_MCP";

    /**
     * The identity's git remotes, one {@code <name> <url>} a line: the installer writes the git
     * configuration that sends them to the sidecar's gateway ({@link GitRewriteConfig}) to {@link
     * Paths#GIT_CONFIG}. Unset or empty: no git configuration.
     */
    public static final String GIT_REMOTES = "TOLLGATE_GIT_REMOTES";

    /**
     * The Codex CLI's system configuration (TOML) the installer writes into {@link Paths#CODEX_DIR}
     * as {@code config.toml}; set for runtime Codex only.
     */
    public static final String CODEX_CONFIG = "TOLLGATE_CODEX_CONFIG";

    /** The Codex CLI's requirements (TOML), written beside it as {@code requirements.toml}. */
    public static final String CODEX_REQUIREMENTS = "TOLLGATE_CODEX_REQUIREMENTS";

    private InstallerEnv() {}
  }

  /** Environment of the agent container and of the hook client it runs. */
  public static final class AgentEnv {
    /** Where the hook client and AuthZEN callers find the sidecar. */
    public static final String URL = "TOLLGATE_URL";

    public static final String HOOK_TIMEOUT_SECONDS = "TOLLGATE_HOOK_TIMEOUT_SECONDS";
    public static final String HOOK_CONNECT_TIMEOUT_SECONDS =
        "TOLLGATE_HOOK_CONNECT_TIMEOUT_SECONDS";

    /** How the hook client reaches the sidecar: auto, curl or devtcp. */
    public static final String HOOK_TRANSPORT = "TOLLGATE_HOOK_TRANSPORT";

    private AgentEnv() {}
  }

  /** Mount paths inside the pod's containers. */
  public static final class Paths {
    /** The bundle ConfigMap, read-only, in the sidecar. */
    public static final String BUNDLE_DIR = "/etc/tollgate/bundle";

    /** The pod's service-account token, in the sidecar alone, where in-cluster clients look. */
    public static final String SERVICE_ACCOUNT_DIR =
        "/var/run/secrets/kubernetes.io/serviceaccount";

    /** The hook client, read-only, in the agent container. */
    public static final String BIN_DIR = "/opt/tollgate/bin";

    /** The hook client the injected settings name. */
    public static final String HOOK_COMMAND = BIN_DIR + "/tollgate-hook";

    /** Claude Code's managed settings directory, read-only, in the agent container. */
    public static final String SETTINGS_DIR = "/etc/claude-code";

    /** The Codex CLI's system configuration directory, read-only, in the agent container. */
    public static final String CODEX_DIR = "/etc/codex";

    /** Upstream credentials, {@code <dir>/<server>/token}, in the sidecar alone. */
    public static final String MCP_CREDENTIALS_DIR = "/var/run/tollgate/mcp";

    /** Upstream git credentials, {@code <dir>/<remote>/token}, in the sidecar alone. */
    public static final String GIT_CREDENTIALS_DIR = "/var/run/tollgate/git";

    /** The audit export's request headers, one file per header (a Secret), in the sidecar alone. */
    public static final String AUDIT_EXPORT_HEADERS_DIR = "/var/run/tollgate/audit-export";

    /** The git gateway's bare mirrors (a disk-backed volume, not the memory-backed /tmp). */
    public static final String GIT_MIRROR_DIR = "/var/lib/tollgate/git";

    /**
     * The git system configuration that rewrites the identity's remotes to the gateway, read-only
     * in the agent containers, which get it as {@code GIT_CONFIG_SYSTEM}. It sits in the hook
     * client's volume because that one is mounted whatever the agent's runtime.
     */
    public static final String GIT_CONFIG = BIN_DIR + "/gitconfig";

    private Paths() {}
  }

  /**
   * Where the sidecar listens for decisions: loopback, so that only the pod's own containers can
   * ask.
   */
  public static String decisionListenAddress() {
    return "127.0.0.1:" + Ports.DECISION;
  }

  /**
   * Where the sidecar serves health and metrics: every interface, for the kubelet and Prometheus.
   */
  public static String opsListenAddress() {
    return "0.0.0.0:" + Ports.OPS;
  }

  /** Where the egress proxy listens: loopback, so that only the pod's own containers reach it. */
  public static String egressListenAddress() {
    return "127.0.0.1:" + Ports.EGRESS;
  }

  /** The proxy URL the agent container is given (HTTPS_PROXY, HTTP_PROXY). */
  public static String egressProxyUrl() {
    return "http://127.0.0.1:" + Ports.EGRESS;
  }

  /** Where the sidecar's git gateway serves {@code remote}, with the trailing slash. */
  public static String gitGatewayUrl(String remote) {
    return decisionUrl() + "/git/" + remote + "/";
  }

  /** The decision URL the agent container is given. */
  public static String decisionUrl() {
    return "http://127.0.0.1:" + Ports.DECISION;
  }
}
