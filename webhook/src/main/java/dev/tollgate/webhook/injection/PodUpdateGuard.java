package dev.tollgate.webhook.injection;

import dev.tollgate.webhook.admission.AdmissionController;
import dev.tollgate.webhook.admission.AdmissionResponses;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code UPDATE pods} and {@code pods/ephemeralcontainers} of agent pods: Tollgate's annotations
 * are fixed at admission (the principal among them), and a debug container may not reach the
 * decision point's volumes, its processes or its user.
 */
public final class PodUpdateGuard implements AdmissionController {

  private final long sidecarUser;

  public PodUpdateGuard(long sidecarUser) {
    this.sidecarUser = sidecarUser;
  }

  @Override
  public AdmissionResponse admit(AdmissionRequest request) {
    if (!"UPDATE".equals(request.getOperation())
        || !(request.getObject() instanceof Pod pod)
        || !(request.getOldObject() instanceof Pod old)
        || !isAgentPod(old)) {
      return AdmissionResponses.allow(request);
    }
    String name = request.getNamespace() + "/" + old.getMetadata().getName();
    Set<String> changed = changedAnnotations(old, pod);
    if (!changed.isEmpty()) {
      return AdmissionResponses.deny(
          request,
          403,
          "annotations "
              + String.join(", ", changed)
              + " of agent pod "
              + name
              + " cannot change after admission: Tollgate's annotations (the principal the agent "
              + "acts for among them) are written once, when the pod is created");
    }
    Optional<String> refusal = ephemeralRefusal(pod, old);
    return refusal.isPresent()
        ? AdmissionResponses.deny(request, 403, "agent pod " + name + ": " + refusal.get())
        : AdmissionResponses.allow(request);
  }

  static boolean isAgentPod(Pod pod) {
    return pod.getMetadata().getAnnotations() != null
        && "true".equals(pod.getMetadata().getAnnotations().get(PodAnnotations.INJECTED));
  }

  private static Set<String> changedAnnotations(Pod old, Pod pod) {
    Map<String, String> before = annotations(old);
    Map<String, String> after = annotations(pod);
    Set<String> keys = new TreeSet<>();
    keys.addAll(before.keySet());
    keys.addAll(after.keySet());
    keys.removeIf(
        key ->
            !key.startsWith(PodAnnotations.PREFIX)
                || Objects.equals(before.get(key), after.get(key)));
    return keys;
  }

  private Optional<String> ephemeralRefusal(Pod pod, Pod old) {
    Set<String> existing = new TreeSet<>();
    if (old.getSpec().getEphemeralContainers() != null) {
      old.getSpec().getEphemeralContainers().forEach(c -> existing.add(c.getName()));
    }
    List<EphemeralContainer> added = new ArrayList<>();
    if (pod.getSpec().getEphemeralContainers() != null) {
      pod.getSpec().getEphemeralContainers().stream()
          .filter(c -> !existing.contains(c.getName()))
          .forEach(added::add);
    }
    for (EphemeralContainer container : added) {
      String which = "ephemeral container " + container.getName();
      if (SidecarInjection.SIDECAR.equals(container.getTargetContainerName())
          || SidecarInjection.INSTALLER.equals(container.getTargetContainerName())) {
        return Optional.of(
            which
                + " targets "
                + container.getTargetContainerName()
                + ": sharing the decision point's process namespace would expose its credentials");
      }
      for (VolumeMount mount :
          container.getVolumeMounts() == null
              ? List.<VolumeMount>of()
              : container.getVolumeMounts()) {
        if (SidecarInjection.isSidecarOnlyVolume(mount.getName())) {
          return Optional.of(
              which
                  + " mounts volume "
                  + mount.getName()
                  + ", which belongs to the decision point (credentials, bundle, token, git mirrors)");
        }
        if (mount.getName().startsWith(SidecarInjection.VOLUME_PREFIX)
            && !Boolean.TRUE.equals(mount.getReadOnly())) {
          return Optional.of(
              which
                  + " mounts volume "
                  + mount.getName()
                  + " writable: the hook client and managed settings are read-only to all but "
                  + "Tollgate");
        }
      }
      if (runsAs(container.getSecurityContext(), pod.getSpec().getSecurityContext(), sidecarUser)) {
        return Optional.of(
            which + " runs as user or group " + sidecarUser + ", the decision point's own");
      }
      Optional<String> network = networkAuthority(container.getSecurityContext());
      if (network.isPresent()) {
        return Optional.of(which + " " + network.get());
      }
    }
    return Optional.empty();
  }

  /** Capabilities that would let a process undo the pod's egress rules or send past them. */
  private static final Set<String> NETWORK_CAPABILITIES =
      Set.of("NET_ADMIN", "NET_RAW", "SYS_ADMIN", "ALL");

  /**
   * A debug container that could rewrite the pod's network rules (egress Enforce) or send raw
   * packets: privileged, or adding a capability that allows it.
   */
  private static Optional<String> networkAuthority(SecurityContext context) {
    if (context == null) {
      return Optional.empty();
    }
    if (Boolean.TRUE.equals(context.getPrivileged())) {
      return Optional.of("is privileged: it could rewrite the pod's egress rules");
    }
    if (context.getCapabilities() != null && context.getCapabilities().getAdd() != null) {
      for (String capability : context.getCapabilities().getAdd()) {
        String name = capability.toUpperCase(Locale.ROOT).replaceFirst("^CAP_", "");
        if (NETWORK_CAPABILITIES.contains(name)) {
          return Optional.of(
              "adds " + capability + ": it could rewrite the pod's egress rules or send past them");
        }
      }
    }
    return Optional.empty();
  }

  private static boolean runsAs(
      SecurityContext container, PodSecurityContext pod, long sidecarUser) {
    return Objects.equals(AgentLockdown.runAsUser(container, pod), sidecarUser)
        || Objects.equals(AgentLockdown.runAsGroup(container, pod), sidecarUser);
  }

  private static Map<String, String> annotations(Pod pod) {
    return pod.getMetadata().getAnnotations() == null
        ? Map.of()
        : pod.getMetadata().getAnnotations();
  }
}
