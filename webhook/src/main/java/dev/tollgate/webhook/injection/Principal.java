package dev.tollgate.webhook.injection;

import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.engine.model.DelegationRule;
import dev.tollgate.engine.model.PrincipalList;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * On whose behalf an agent pod acts: the pod's {@code tollgate.dev/on-behalf-of}, or, when a human
 * creates the pod directly and names nobody, that human (and their groups).
 */
public record Principal(String user, List<String> groups) {

  public Principal {
    groups = List.copyOf(groups);
  }

  public static final Principal NOBODY = new Principal("", List.of());

  public boolean isNobody() {
    return user.isEmpty();
  }

  /** Reads the pod's claim, or takes the requesting human when the pod names nobody. */
  static Principal of(Map<String, String> annotations, UserInfo requester) {
    String claimed = annotations.getOrDefault(PodAnnotations.ON_BEHALF_OF, "").strip();
    if (claimed.startsWith(PrincipalList.USER_PREFIX)) {
      claimed = claimed.substring(PrincipalList.USER_PREFIX.length());
    }
    if (!claimed.isEmpty()) {
      List<String> groups =
          Arrays.stream(annotations.getOrDefault(PodAnnotations.ON_BEHALF_OF_GROUPS, "").split(","))
              .map(String::strip)
              .filter(g -> !g.isEmpty())
              .toList();
      return new Principal(claimed, groups);
    }
    if (requester != null && isHuman(requester.getUsername())) {
      List<String> groups =
          requester.getGroups() == null
              ? List.of()
              : requester.getGroups().stream().filter(g -> !g.startsWith("system:")).toList();
      return new Principal(requester.getUsername(), groups);
    }
    return NOBODY;
  }

  /** Service accounts, nodes and controllers act for nobody in particular. */
  static boolean isHuman(String username) {
    return username != null && !username.isBlank() && !username.startsWith("system:");
  }

  /** Why the identity may not act for this principal, or empty when it may. */
  Optional<String> refusalFor(AgentIdentity identity) {
    var delegation = identity.getSpec().getDelegation();
    List<String> allowed =
        delegation == null || delegation.getAllowedPrincipals() == null
            ? List.of()
            : delegation.getAllowedPrincipals();
    boolean required = delegation != null && Boolean.TRUE.equals(delegation.getRequired());
    String name = identity.getMetadata().getNamespace() + "/" + identity.getMetadata().getName();
    return switch (new DelegationRule(allowed, required).check(user, groups)) {
      case ALLOWED -> Optional.empty();
      case PRINCIPAL_REQUIRED ->
          Optional.of(
              "AgentIdentity "
                  + name
                  + " requires a principal: set annotation "
                  + PodAnnotations.ON_BEHALF_OF);
      case NOT_ALLOWED ->
          Optional.of(
              "AgentIdentity "
                  + name
                  + " may not act on behalf of "
                  + PrincipalList.USER_PREFIX
                  + user
                  + (groups.isEmpty() ? "" : " (groups " + String.join(", ", groups) + ")")
                  + "; allowed: "
                  + (allowed.isEmpty() ? "nobody" : String.join(", ", allowed)));
    };
  }
}
