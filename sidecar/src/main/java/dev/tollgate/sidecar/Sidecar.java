package dev.tollgate.sidecar;

import dev.tollgate.sidecar.approval.ApprovalBroker;
import dev.tollgate.sidecar.approval.Approvals;
import dev.tollgate.sidecar.audit.AuditEvent;
import dev.tollgate.sidecar.audit.AuditSink;
import dev.tollgate.sidecar.audit.Redactor;
import dev.tollgate.sidecar.authz.AuditRecorder;
import dev.tollgate.sidecar.authz.PodContext;
import dev.tollgate.sidecar.authz.ToolCallAuthorizer;
import dev.tollgate.sidecar.http.SidecarServer;
import dev.tollgate.sidecar.mcp.McpGateway;
import dev.tollgate.sidecar.metrics.SidecarMetrics;
import dev.tollgate.sidecar.policy.BundleReloader;
import dev.tollgate.sidecar.policy.PolicyState;
import dev.tollgate.sidecar.policy.ReloadListener;
import java.io.IOException;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * One running decision point: the bundle reloader, the authorizer and the HTTP server, wired
 * from a {@link SidecarConfig}. Tests start it in-process; {@link SidecarMain} starts it for real.
 */
public final class Sidecar implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(Sidecar.class.getName());

  private final PolicyState state = new PolicyState();
  private final SidecarMetrics metrics;
  private final BundleReloader reloader;
  private final SidecarServer server;
  private final ApprovalBroker approvals;
  private final McpGateway mcp;

  /**
   * @param auditSink where audit events go (stdout in production)
   * @param denials told of each denial and approval event (Kubernetes Events), must not block
   */
  public Sidecar(SidecarConfig config, SidecarMetrics metrics, AuditSink auditSink, Consumer<AuditEvent> denials, Clock clock)
      throws IOException {
    this(config, metrics, auditSink, denials, clock, Approvals.create(config, System.getenv(), clock).orElse(null));
  }

  /**
   * @param approvals where calls that need approval wait; null denies them
   */
  public Sidecar(SidecarConfig config, SidecarMetrics metrics, AuditSink auditSink, Consumer<AuditEvent> denials, Clock clock,
      ApprovalBroker approvals) throws IOException {
    this.approvals = approvals;
    this.metrics = metrics;
    PodContext pod = new PodContext(config.pod(), config.namespace(), config.principal(), config.groups(), config.agentHome());
    AuditRecorder recorder = new AuditRecorder(auditSink, new Redactor(), denials, clock, pod);
    ToolCallAuthorizer authorizer = new ToolCallAuthorizer(state, recorder, metrics, clock, pod, config.expectedIdentity(),
        approvals);
    this.reloader = new BundleReloader(config.bundle(), config.expectedIdentity(), state, new LoggingReloadListener(metrics));
    this.mcp = new McpGateway(config.mcp(), state, authorizer, pod, clock);
    this.server = new SidecarServer(config.host(), config.port(), config.threads(), authorizer, state, metrics,
        config.maxBodyBytes(), config.opsHost(), config.opsPort(), mcp);
    reloader.start(config.reloadInterval());
    server.start();
  }

  public int port() {
    return server.port();
  }

  /** The ops listener's port (health and metrics only), or -1 without one. */
  public int opsPort() {
    return server.opsPort();
  }

  public PolicyState state() {
    return state;
  }

  /** Polls the bundle file now (tests use it to avoid waiting for the interval). */
  public void checkBundle() {
    reloader.check();
  }

  @Override
  public void close() {
    // First: held calls get their deny while the server can still send it.
    if (approvals != null) {
      approvals.close();
    }
    server.close();
    mcp.close();
    reloader.close();
  }

  /** Logs reloads and forwards them to the metrics. */
  private record LoggingReloadListener(ReloadListener next) implements ReloadListener {
    @Override
    public void reloaded(String revision) {
      LOG.info("bundle revision " + revision + " in force");
      next.reloaded(revision);
    }

    @Override
    public void reloadFailed(String reason) {
      LOG.warning(reason);
      next.reloadFailed(reason);
    }
  }
}
