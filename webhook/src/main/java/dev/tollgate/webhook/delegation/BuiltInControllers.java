package dev.tollgate.webhook.delegation;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The kube-controller-manager controllers that copy a workload's pod template into the objects they
 * create, by the service account each runs as ({@code --use-service-account-credentials}), or the
 * manager's own user when it runs them all under one.
 *
 * <p>Only these may carry a proof from an owner to what they create: an owner reference alone
 * proves nothing, since whoever creates an object may write any owner reference into it.
 */
final class BuiltInControllers {

  static final String CONTROLLER_MANAGER = "system:kube-controller-manager";
  private static final String KUBE_SYSTEM_ACCOUNT = "system:serviceaccount:kube-system:";

  /** Which controller creates pods for which owner kind. */
  private static final Map<String, String> POD_OWNERS =
      Map.of(
          "ReplicaSet", "replicaset-controller",
          "Job", "job-controller",
          "StatefulSet", "statefulset-controller",
          "DaemonSet", "daemon-set-controller");

  /** Controllers that create workloads from workloads (Deployment → ReplicaSet, CronJob → Job). */
  private static final Set<String> WORKLOAD_CREATORS =
      Set.of("deployment-controller", "cronjob-controller");

  /** A ReplicaSet of a Deployment is {@code <deployment>-<pod-template-hash>}. */
  static final String POD_TEMPLATE_HASH = "pod-template-hash";

  /** A Job of a CronJob is {@code <cronjob>-<scheduled time in minutes>}. */
  private static final Pattern CRONJOB_JOB = Pattern.compile("(.+)-[0-9]+");

  private BuiltInControllers() {}

  static boolean isOne(String username) {
    return CONTROLLER_MANAGER.equals(username)
        || (username != null
            && username.startsWith(KUBE_SYSTEM_ACCOUNT)
            && (POD_OWNERS.containsValue(account(username))
                || WORKLOAD_CREATORS.contains(account(username))));
  }

  /** Whether {@code username} is the controller that creates pods owned by a {@code ownerKind}. */
  static boolean createsPodsFor(String username, String ownerKind) {
    String controller = POD_OWNERS.get(ownerKind);
    return controller != null
        && (CONTROLLER_MANAGER.equals(username)
            || (KUBE_SYSTEM_ACCOUNT + controller).equals(username));
  }

  /**
   * The workload whose template a pod's owner was made from by a controller, when the owner's name
   * says so: a ReplicaSet named {@code web-5d4f} with pod-template-hash {@code 5d4f} comes from
   * Deployment {@code web}, a Job {@code nightly-29012345} from CronJob {@code nightly}. The name
   * binding is sound because creating such an owner by hand with a claim is itself checked.
   */
  static Optional<Owner> templateSource(Owner owner, Map<String, String> podLabels) {
    if (owner.kind().equals("ReplicaSet")) {
      String hash = podLabels == null ? null : podLabels.get(POD_TEMPLATE_HASH);
      String suffix = "-" + hash;
      if (hash != null && !hash.isEmpty() && owner.name().endsWith(suffix)) {
        return Optional.of(
            new Owner(
                "Deployment", owner.name().substring(0, owner.name().length() - suffix.length())));
      }
    }
    if (owner.kind().equals("Job")) {
      var matcher = CRONJOB_JOB.matcher(owner.name());
      if (matcher.matches()) {
        return Optional.of(new Owner("CronJob", matcher.group(1)));
      }
    }
    return Optional.empty();
  }

  private static String account(String username) {
    return username.substring(KUBE_SYSTEM_ACCOUNT.length());
  }
}
