package dev.tollgate.sidecar;

import dev.tollgate.sidecar.approval.ApprovalBroker;
import dev.tollgate.sidecar.approval.Approvals;
import dev.tollgate.sidecar.audit.AuditEvent;
import dev.tollgate.sidecar.audit.AuditRecorder;
import dev.tollgate.sidecar.audit.AuditSink;
import dev.tollgate.sidecar.audit.Redactor;
import dev.tollgate.sidecar.core.PodContext;
import dev.tollgate.sidecar.core.ToolCallAuthorizer;
import dev.tollgate.sidecar.gate.authzen.AuthzenEndpoint;
import dev.tollgate.sidecar.gate.egress.EgressGate;
import dev.tollgate.sidecar.gate.egress.EgressResolver;
import dev.tollgate.sidecar.gate.git.GitGateway;
import dev.tollgate.sidecar.gate.hooks.CodexHookEndpoint;
import dev.tollgate.sidecar.gate.hooks.GeminiCliHookEndpoint;
import dev.tollgate.sidecar.gate.hooks.HookEndpoint;
import dev.tollgate.sidecar.gate.mcp.McpGateway;
import dev.tollgate.sidecar.http.Gate;
import dev.tollgate.sidecar.http.SidecarServer;
import dev.tollgate.sidecar.metrics.SidecarMetrics;
import dev.tollgate.sidecar.policy.BundleConfigMapWatch;
import dev.tollgate.sidecar.policy.BundleFilePoller;
import dev.tollgate.sidecar.policy.BundleLoader;
import dev.tollgate.sidecar.policy.BundleSource;
import dev.tollgate.sidecar.policy.PolicySettings;
import dev.tollgate.sidecar.policy.PolicyState;
import dev.tollgate.sidecar.policy.ReloadListener;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * One running decision point: the bundle sources, the authorizer and the HTTP server, wired from a
 * {@link SidecarConfig}. Tests start it in-process; {@link SidecarMain} starts it for real.
 */
public final class Sidecar implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(Sidecar.class.getName());

  private final PolicyState state = new PolicyState();
  private final PolicySettings policy;
  private final String podNamespace;
  private final BundleLoader loader;
  private final BundleFilePoller filePoller;
  private volatile BundleConfigMapWatch configMapWatch;
  private final SidecarServer server;
  private final ApprovalBroker approvals;
  private final List<Gate> gates;
  private final EgressGate egress;

  /**
   * @param auditSink where audit events go (stdout in production)
   * @param denials told of each denial and approval event (Kubernetes Events), must not block
   */
  public Sidecar(
      SidecarConfig config,
      SidecarMetrics metrics,
      AuditSink auditSink,
      Consumer<AuditEvent> denials,
      Clock clock)
      throws IOException {
    this(
        config,
        metrics,
        auditSink,
        denials,
        clock,
        Approvals.create(config.approvals(), config.pod(), System.getenv(), clock).orElse(null));
    BundleConfigMapWatch.connect(policy, podNamespace, System.getenv(), loader)
        .ifPresent(watch -> configMapWatch = watch);
  }

  /**
   * @param approvals where calls that need approval wait; null denies them
   */
  public Sidecar(
      SidecarConfig config,
      SidecarMetrics metrics,
      AuditSink auditSink,
      Consumer<AuditEvent> denials,
      Clock clock,
      ApprovalBroker approvals)
      throws IOException {
    this(config, metrics, auditSink, denials, clock, approvals, EgressResolver.SYSTEM);
  }

  /**
   * @param resolver how the egress gate resolves destination names (tests inject their own)
   */
  public Sidecar(
      SidecarConfig config,
      SidecarMetrics metrics,
      AuditSink auditSink,
      Consumer<AuditEvent> denials,
      Clock clock,
      ApprovalBroker approvals,
      EgressResolver resolver)
      throws IOException {
    this.approvals = approvals;
    PodContext pod = config.pod();
    this.policy = config.policy();
    this.podNamespace = pod.namespace();
    AuditRecorder recorder = new AuditRecorder(auditSink, new Redactor(), denials, clock, pod);
    ToolCallAuthorizer authorizer =
        new ToolCallAuthorizer(
            state, recorder, metrics, clock, pod, policy.expectedIdentity(), approvals);
    this.loader =
        new BundleLoader(policy.expectedIdentity(), state, new LoggingReloadListener(metrics));
    this.filePoller = new BundleFilePoller(policy.bundle(), loader);
    int maxBodyBytes = config.server().maxBodyBytes();
    McpGateway mcp = new McpGateway(config.mcp(), state, authorizer, pod, clock, metrics);
    // A hook deciding an MCP tool sees the annotations the gateway listed, as the gateway's own
    // decision does.
    this.gates =
        List.of(
            new HookEndpoint(authorizer, maxBodyBytes, mcp::annotationsOf),
            new CodexHookEndpoint(authorizer, maxBodyBytes, mcp::annotationsOf),
            new GeminiCliHookEndpoint(authorizer, maxBodyBytes, mcp::annotationsOf),
            new AuthzenEndpoint(authorizer, maxBodyBytes),
            mcp,
            new GitGateway(config.git(), state, authorizer));
    this.server =
        new SidecarServer(
            config.server(), state, metrics, HookEndpoint.internalErrorAnswer(), gates);
    this.egress =
        config.egress().enabled()
            ? new EgressGate(config.egress(), authorizer, resolver, metrics)
            : null;
    filePoller.start(policy.reloadInterval());
    server.start();
  }

  public int port() {
    return server.port();
  }

  /** The ops listener's port (health and metrics only), or -1 without one. */
  public int opsPort() {
    return server.opsPort();
  }

  /** The egress proxy's port, or -1 when the egress gate is off. */
  public int egressPort() {
    return egress == null ? -1 : egress.port();
  }

  public PolicyState state() {
    return state;
  }

  /** Polls the bundle file now (tests use it to avoid waiting for the interval). */
  public void checkBundle() {
    filePoller.check();
  }

  /**
   * Follows the identity's bundle ConfigMap through {@code client} (closed with the sidecar). The
   * production constructor does this itself when {@link PolicySettings#configMapWatch()} says so;
   * tests call it with their own client.
   */
  public void followBundleConfigMap(KubernetesClient client) {
    configMapWatch = BundleConfigMapWatch.start(client, policy, podNamespace, loader);
  }

  @Override
  public void close() {
    // First: held calls get their deny while the server can still send it.
    if (approvals != null) {
      approvals.close();
    }
    server.close();
    if (egress != null) {
      egress.close();
    }
    gates.forEach(Gate::close);
    if (configMapWatch != null) {
      configMapWatch.close();
    }
    filePoller.close();
  }

  /** Logs reloads and forwards them to the metrics. */
  private record LoggingReloadListener(ReloadListener next) implements ReloadListener {
    @Override
    public void reloaded(String revision, BundleSource source) {
      LOG.info("bundle revision " + revision + " in force, from " + source);
      next.reloaded(revision, source);
    }

    @Override
    public void reloadFailed(String reason) {
      LOG.warning(reason);
      next.reloadFailed(reason);
    }
  }
}
