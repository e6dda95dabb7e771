package dev.tollgate.webhook.injection;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The agent's side of an agent pod holds no ambient authority: every container that is not
 * Tollgate's runs as an explicit non-root user other than the decision point's, cannot gain
 * privileges, adds no capabilities, and gets no service-account token (the decision point alone
 * gets one). What the pod asks for against this is refused with the reason; what it leaves unset is
 * set.
 */
final class AgentLockdown {

  /** The token volume the ServiceAccount admission plugin adds before webhooks run. */
  static final String AUTOMOUNTED_TOKEN_PREFIX = "kube-api-access-";

  private final long sidecarUser;

  AgentLockdown(long sidecarUser) {
    this.sidecarUser = sidecarUser;
  }

  /** Why the pod cannot run as an agent pod, or empty. */
  Optional<String> refusal(Pod pod) {
    PodSecurityContext podContext = pod.getSpec().getSecurityContext();
    if (podContext != null
        && (Objects.equals(podContext.getFsGroup(), sidecarUser)
            || (podContext.getSupplementalGroups() != null
                && podContext.getSupplementalGroups().contains(sidecarUser)))) {
      return Optional.of(
          "the pod's fsGroup or supplementalGroups include "
              + sidecarUser
              + ", the decision point's group: agent containers may not share it");
    }
    Set<String> userTokens = userTokenVolumes(pod);
    for (Container container : agentContainers(pod)) {
      Optional<String> refusal = refusal(container, podContext, userTokens);
      if (refusal.isPresent()) {
        return Optional.of("container " + container.getName() + " " + refusal.get());
      }
    }
    return Optional.empty();
  }

  private Optional<String> refusal(
      Container container, PodSecurityContext pod, Set<String> userTokens) {
    SecurityContext own = container.getSecurityContext();
    if (own != null && Boolean.TRUE.equals(own.getPrivileged())) {
      return Optional.of("is privileged: agent containers may not be");
    }
    if (own != null && Boolean.TRUE.equals(own.getAllowPrivilegeEscalation())) {
      return Optional.of(
          "sets allowPrivilegeEscalation: true; agent containers may not gain privileges");
    }
    if (own != null
        && own.getCapabilities() != null
        && own.getCapabilities().getAdd() != null
        && !own.getCapabilities().getAdd().isEmpty()) {
      return Optional.of(
          "adds capabilities " + own.getCapabilities().getAdd() + ": agent containers add none");
    }
    Long user = runAsUser(own, pod);
    if (user == null) {
      return Optional.of(
          "has no runAsUser: agent pods run every container as an explicit non-root user "
              + "(securityContext.runAsUser of the container or the pod), other than "
              + sidecarUser
              + ", the decision point's");
    }
    if (user == 0) {
      return Optional.of("runs as root (runAsUser 0): agent containers run as a non-root user");
    }
    if (user == sidecarUser) {
      return Optional.of(
          "runs as user " + sidecarUser + ", the decision point's own: choose another user id");
    }
    Long group = runAsGroup(own, pod);
    if (Objects.equals(group, sidecarUser)) {
      return Optional.of(
          "runs as group " + sidecarUser + ", the decision point's own: choose another group id");
    }
    for (VolumeMount mount : mounts(container)) {
      if (userTokens.contains(mount.getName())) {
        return Optional.of(
            "mounts a service-account token (volume "
                + mount.getName()
                + "): the agent's containers hold no credentials; the decision point alone gets "
                + "the pod's token");
      }
      if (SidecarInjection.isSidecarOnlyVolume(mount.getName())) {
        return Optional.of(
            "mounts volume " + mount.getName() + ", which belongs to the decision point");
      }
      if (mount.getName().startsWith(SidecarInjection.VOLUME_PREFIX)
          && !Boolean.TRUE.equals(mount.getReadOnly())) {
        return Optional.of(
            "mounts Tollgate's volume " + mount.getName() + " writable: agents read it only");
      }
    }
    return Optional.empty();
  }

  /** The user a container runs as: its own setting, else the pod's; null when neither sets one. */
  static Long runAsUser(SecurityContext container, PodSecurityContext pod) {
    return container != null && container.getRunAsUser() != null
        ? container.getRunAsUser()
        : pod == null ? null : pod.getRunAsUser();
  }

  /** The group a container runs as, resolved as {@link #runAsUser}. */
  static Long runAsGroup(SecurityContext container, PodSecurityContext pod) {
    return container != null && container.getRunAsGroup() != null
        ? container.getRunAsGroup()
        : pod == null ? null : pod.getRunAsGroup();
  }

  /**
   * Takes the pod's token away from every container (the plugin's automounted volume, and
   * automounting itself), and closes privilege escalation where the pod left it open.
   */
  void apply(Pod pod) {
    pod.getSpec().setAutomountServiceAccountToken(false);
    Set<String> automounted =
        volumes(pod).stream()
            .filter(v -> v.getName().startsWith(AUTOMOUNTED_TOKEN_PREFIX) && carriesToken(v))
            .map(Volume::getName)
            .collect(Collectors.toSet());
    if (!automounted.isEmpty()) {
      pod.getSpec()
          .setVolumes(
              new ArrayList<>(
                  volumes(pod).stream().filter(v -> !automounted.contains(v.getName())).toList()));
      allContainers(pod)
          .forEach(
              c ->
                  c.setVolumeMounts(
                      new ArrayList<>(
                          mounts(c).stream()
                              .filter(m -> !automounted.contains(m.getName()))
                              .toList())));
    }
    for (Container container : agentContainers(pod)) {
      if (container.getSecurityContext() == null) {
        container.setSecurityContext(new SecurityContext());
      }
      if (container.getSecurityContext().getAllowPrivilegeEscalation() == null) {
        container.getSecurityContext().setAllowPrivilegeEscalation(false);
      }
    }
  }

  /** Token volumes the pod declared itself (not the plugin's): refused in agent containers. */
  private static Set<String> userTokenVolumes(Pod pod) {
    return volumes(pod).stream()
        .filter(v -> !v.getName().startsWith(AUTOMOUNTED_TOKEN_PREFIX) && carriesToken(v))
        .map(Volume::getName)
        .collect(Collectors.toSet());
  }

  private static boolean carriesToken(Volume volume) {
    return volume.getProjected() != null
        && volume.getProjected().getSources() != null
        && volume.getProjected().getSources().stream()
            .anyMatch(source -> source.getServiceAccountToken() != null);
  }

  /** Every container but Tollgate's own, init containers included. */
  static List<Container> agentContainers(Pod pod) {
    return allContainers(pod)
        .filter(c -> !SidecarInjection.isTollgateContainer(c.getName()))
        .toList();
  }

  private static Stream<Container> allContainers(Pod pod) {
    return Stream.concat(
        pod.getSpec().getInitContainers() == null
            ? Stream.empty()
            : pod.getSpec().getInitContainers().stream(),
        pod.getSpec().getContainers() == null
            ? Stream.empty()
            : pod.getSpec().getContainers().stream());
  }

  private static List<Volume> volumes(Pod pod) {
    return pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes();
  }

  private static List<VolumeMount> mounts(Container container) {
    return container.getVolumeMounts() == null ? List.of() : container.getVolumeMounts();
  }
}
