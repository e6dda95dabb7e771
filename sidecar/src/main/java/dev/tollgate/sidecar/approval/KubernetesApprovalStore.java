package dev.tollgate.sidecar.approval;

import dev.tollgate.api.ApprovalMarks;
import dev.tollgate.api.BundleConfigMaps;
import dev.tollgate.api.v1alpha1.ApprovalDecision;
import dev.tollgate.api.v1alpha1.ToolCallApproval;
import dev.tollgate.api.v1alpha1.ToolCallApprovalSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Approvals as ToolCallApproval resources in the pod's namespace, followed with an informer. Only
 * {@code spec} (whose decision the webhook guards) and the use annotation are read; status belongs
 * to the operator.
 */
public final class KubernetesApprovalStore implements ApprovalStore {

  public static final String CONSUMED_BY = ApprovalMarks.CONSUMED_BY;
  public static final String POD_LABEL = ApprovalMarks.POD_LABEL;

  private static final Logger LOG = Logger.getLogger(KubernetesApprovalStore.class.getName());
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int CONFLICT_RETRIES = 3;

  private final KubernetesClient client;
  private final String namespace;
  private final String pod;
  private final SharedIndexInformer<ToolCallApproval> informer;
  private final List<Consumer<ApprovalRecord>> listeners = new CopyOnWriteArrayList<>();

  /**
   * Starts following the namespace's approvals; waits up to {@code syncSeconds} for the first list.
   */
  public KubernetesApprovalStore(
      KubernetesClient client, String namespace, String pod, long syncSeconds) {
    this.client = client;
    this.namespace = namespace;
    this.pod = pod;
    this.informer =
        client
            .resources(ToolCallApproval.class)
            .inNamespace(namespace)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(ToolCallApproval approval) {
                    changed(approval);
                  }

                  @Override
                  public void onUpdate(ToolCallApproval before, ToolCallApproval after) {
                    changed(after);
                  }

                  @Override
                  public void onDelete(ToolCallApproval approval, boolean finalStateUnknown) {}
                },
                0);
    try {
      informer.start().toCompletableFuture().get(syncSeconds, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Not fatal: the informer keeps trying; until then approvals found here are only ours.
      LOG.warning(
          "approvals in "
              + namespace
              + " are not listed yet ("
              + e
              + "); retrying in the background");
    }
  }

  @Override
  public ApprovalRecord create(NewApproval approval) throws ApprovalStoreException {
    ToolCallApprovalSpec spec = new ToolCallApprovalSpec();
    spec.setIdentity(approval.identity());
    spec.setPod(approval.pod());
    spec.setTool(approval.tool());
    spec.setArgsDigest(approval.argsDigest());
    spec.setSummary(approval.summary());
    spec.setRequestedBy(approval.requestedBy());
    spec.setApprovers(approval.approvers());
    spec.setExpiresAt(DateTimeFormatter.ISO_INSTANT.format(approval.expiresAt()));
    spec.setCorrelationId(approval.correlationId());
    ToolCallApproval resource = new ToolCallApproval();
    Map<String, String> labels = new HashMap<>();
    labels.put(BundleConfigMaps.IDENTITY_LABEL, labelValue(approval.identity()));
    labels.put(POD_LABEL, labelValue(approval.pod()));
    labels.put(BundleConfigMaps.MANAGED_BY_LABEL, "tollgate-sidecar");
    resource.setMetadata(
        new ObjectMetaBuilder()
            .withName(name(approval))
            .withNamespace(namespace)
            .withLabels(labels)
            .build());
    resource.setSpec(spec);
    try {
      return record(
              client
                  .resources(ToolCallApproval.class)
                  .inNamespace(namespace)
                  .resource(resource)
                  .create())
          .orElseThrow(
              () ->
                  new ApprovalStoreException(
                      "the API server returned an unreadable ToolCallApproval", null));
    } catch (KubernetesClientException e) {
      throw new ApprovalStoreException(
          "could not create a ToolCallApproval in " + namespace + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<ApprovalRecord> find(String pod, String tool, String argsDigest) {
    return informer.getStore().list().stream()
        .map(KubernetesApprovalStore::record)
        .flatMap(Optional::stream)
        .filter(
            a -> a.pod().equals(pod) && a.tool().equals(tool) && a.argsDigest().equals(argsDigest))
        .toList();
  }

  @Override
  public boolean consume(ApprovalRecord approval, String correlationId)
      throws ApprovalStoreException {
    String name = approval.name().substring(approval.name().indexOf('/') + 1);
    for (int attempt = 1; ; attempt++) {
      try {
        ToolCallApproval current =
            client.resources(ToolCallApproval.class).inNamespace(namespace).withName(name).get();
        if (current == null) {
          return false;
        }
        Map<String, String> annotations =
            current.getMetadata().getAnnotations() == null
                ? new HashMap<>()
                : new HashMap<>(current.getMetadata().getAnnotations());
        String usedBy = annotations.get(CONSUMED_BY);
        if (usedBy != null) {
          return usedBy.equals(correlationId);
        }
        annotations.put(CONSUMED_BY, correlationId);
        current.getMetadata().setAnnotations(annotations);
        // The update carries the resourceVersion read above: two sidecars (or two calls) racing for
        // one approval cannot both win.
        client.resources(ToolCallApproval.class).inNamespace(namespace).resource(current).update();
        return true;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= CONFLICT_RETRIES) {
          throw new ApprovalStoreException(
              "could not record the use of " + approval.name() + ": " + e.getMessage(), e);
        }
      }
    }
  }

  @Override
  public void onChange(Consumer<ApprovalRecord> listener) {
    listeners.add(listener);
  }

  @Override
  public void close() {
    informer.close();
  }

  private void changed(ToolCallApproval approval) {
    record(approval)
        .filter(a -> a.pod().equals(pod))
        .ifPresent(a -> listeners.forEach(l -> l.accept(a)));
  }

  /** The sidecar's view of a resource; empty for one too broken to ever allow anything. */
  static Optional<ApprovalRecord> record(ToolCallApproval approval) {
    ToolCallApprovalSpec spec = approval.getSpec();
    if (spec == null
        || spec.getPod() == null
        || spec.getTool() == null
        || spec.getArgsDigest() == null
        || spec.getExpiresAt() == null) {
      return Optional.empty();
    }
    Instant expiresAt;
    try {
      expiresAt = OffsetDateTime.parse(spec.getExpiresAt()).toInstant();
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
    ApprovalRecord.State state =
        spec.getDecision() == null
            ? ApprovalRecord.State.PENDING
            : spec.getDecision() == ApprovalDecision.APPROVED
                ? ApprovalRecord.State.APPROVED
                : ApprovalRecord.State.REJECTED;
    // A decision without the webhook's stamp did not pass the guard: it allows nothing.
    if (state == ApprovalRecord.State.APPROVED
        && (spec.getDecidedBy() == null || spec.getDecidedBy().isBlank())) {
      state = ApprovalRecord.State.PENDING;
    }
    Map<String, String> annotations = approval.getMetadata().getAnnotations();
    return Optional.of(
        new ApprovalRecord(
            approval.getMetadata().getNamespace() + "/" + approval.getMetadata().getName(),
            spec.getPod(),
            spec.getTool(),
            spec.getArgsDigest(),
            spec.getApprovers() == null ? List.of() : spec.getApprovers(),
            expiresAt,
            state,
            spec.getDecidedBy(),
            spec.getReason(),
            annotations == null
                ? ""
                : Objects.requireNonNullElse(annotations.get(CONSUMED_BY), "")));
  }

  // Names say which pod and call at a glance, and stay unique among identical asks.
  private static String name(NewApproval approval) {
    byte[] random = new byte[4];
    RANDOM.nextBytes(random);
    String tool =
        approval
            .tool()
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9]+", "-")
            .replaceAll("^-+|-+$", "");
    String prefix =
        tool.isEmpty()
            ? "call"
            : tool.length() > 40 ? tool.substring(0, 40).replaceAll("-+$", "") : tool;
    return prefix
        + "-"
        + approval.argsDigest().substring(0, 8)
        + "-"
        + HexFormat.of().formatHex(random);
  }

  // Label values are at most 63 characters of a restricted alphabet.
  private static String labelValue(String value) {
    String cleaned = value == null ? "" : value.replaceAll("[^A-Za-z0-9._-]", "-");
    if (cleaned.length() > 63) {
      cleaned = cleaned.substring(0, 63);
    }
    return cleaned.replaceAll("^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "");
  }
}
