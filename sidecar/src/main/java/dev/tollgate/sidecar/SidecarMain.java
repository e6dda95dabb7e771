package dev.tollgate.sidecar;

import dev.tollgate.api.delegation.PublicKeyRing;
import dev.tollgate.runtime.logging.JsonLogging;
import dev.tollgate.sidecar.audit.JsonLinesAuditSink;
import dev.tollgate.sidecar.audit.QueuedAuditSink;
import dev.tollgate.sidecar.audit.export.AuditExporter;
import dev.tollgate.sidecar.delegation.PrincipalProof;
import dev.tollgate.sidecar.events.DenialPublisher;
import dev.tollgate.sidecar.events.KubernetesEvents;
import dev.tollgate.sidecar.kubernetes.ApiClients;
import dev.tollgate.sidecar.kubernetes.KubernetesMode;
import dev.tollgate.sidecar.metrics.SidecarMetrics;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

/** {@code java -jar tollgate-sidecar.jar --bundle FILE --listen 127.0.0.1:9440}. */
public final class SidecarMain {

  private SidecarMain() {}

  // The writer drains in batches and keeps up at saturation; the queue only rides out a slow
  // stdout reader. Bigger (16k) held ~20 MiB of events at saturation and broke the memory budget.
  private static final int AUDIT_QUEUE_CAPACITY = 2_048;

  public static void main(String[] args) throws Exception {
    // The JDK server leaves Nagle on unless told otherwise, and an answer then waits ~40 ms for the
    // client's delayed ACK. Set before any server class reads it, whatever the JVM flags say.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    JsonLogging.install(Level.INFO);
    Logger log = Logger.getLogger(SidecarMain.class.getName());
    SidecarConfig config;
    try {
      config = SidecarConfig.from(System.getenv(), args);
    } catch (ConfigException e) {
      e.problems().forEach(problem -> System.err.println("tollgate-sidecar: " + problem));
      System.exit(2);
      return;
    }
    Optional<String> unproven =
        PrincipalProof.problem(
            config.pod(),
            config.policy().expectedIdentity(),
            config.delegation(),
            KubernetesMode.AUTO.active(),
            SidecarMain::publishedKeys);
    if (unproven.isPresent()) {
      System.err.println("tollgate-sidecar: " + unproven.get());
      System.exit(2);
      return;
    }
    JsonLogging.setLevel(config.logLevel());
    SidecarMetrics metrics = new SidecarMetrics();
    metrics.bindJvmAndProcess();
    // The export takes the stdout writer's bytes after each line is written: decisions wait on
    // stdout as before and never on the export, and a record is serialized once.
    AuditExporter exporter =
        config.auditExport().settings().isEmpty()
            ? null
            : new AuditExporter(
                config.auditExport(),
                config.pod(),
                Clock.systemUTC(),
                metrics,
                AuditExporter.Backoff.DEFAULT);
    QueuedAuditSink audit =
        new QueuedAuditSink(
            new JsonLinesAuditSink(
                new FileOutputStream(FileDescriptor.out),
                error -> {
                  metrics.auditWriteFailed();
                  log.log(Level.SEVERE, "audit write failed", error);
                },
                exporter == null ? line -> {} : exporter::offer),
            AUDIT_QUEUE_CAPACITY,
            metrics::auditQueueFull);
    DenialPublisher events = KubernetesEvents.create(config.events(), config.pod(), metrics);
    Sidecar sidecar = new Sidecar(config, metrics, audit, events, Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  sidecar.close();
                  audit.close();
                  if (exporter != null) {
                    exporter.close();
                  }
                  events.close();
                  stopped.countDown();
                },
                "tollgate-shutdown"));
    log.info(
        "listening on "
            + config.server().host()
            + ":"
            + sidecar.port()
            + ", bundle "
            + config.policy().bundle()
            + (sidecar.egressPort() < 0
                ? ""
                : ", egress proxy on " + config.egress().host() + ":" + sidecar.egressPort())
            + config
                .auditExport()
                .settings()
                .map(
                    export ->
                        ", audit copied to "
                            + export.endpoint()
                            + " ("
                            + export.protocol().wireName
                            + ")")
                .orElse("")
            + (sidecar.state().ready() ? "" : " (not ready: " + sidecar.state().problem() + ")"));
    stopped.await();
  }

  /** The webhook's public delegation keys, from the ConfigMap {@code namespace/name}. */
  private static Optional<String> publishedKeys(String configMap) {
    String[] parts = configMap.split("/", 2);
    try (KubernetesClient client = ApiClients.serviceAccount()) {
      ConfigMap keys = client.configMaps().inNamespace(parts[0]).withName(parts[1]).get();
      return keys == null || keys.getData() == null
          ? Optional.empty()
          : Optional.ofNullable(keys.getData().get(PublicKeyRing.CONFIG_MAP_KEY));
    }
  }
}
