package dev.tollgate.webhook.delegation;

import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.engine.model.DelegationRule;
import dev.tollgate.engine.model.PrincipalList;
import dev.tollgate.webhook.injection.PodAnnotations;
import java.util.List;
import java.util.Optional;

/**
 * On whose behalf an agent pod acts, once proven (see {@link DelegationCheck}): a user and the
 * groups the decision point counts them in.
 */
public record Principal(String user, List<String> groups) {

  public Principal {
    groups = List.copyOf(groups);
  }

  public static final Principal NOBODY = new Principal("", List.of());

  public boolean isNobody() {
    return user.isEmpty();
  }

  /** Service accounts, nodes and controllers act for nobody in particular. */
  static boolean isHuman(String username) {
    return username != null && !username.isBlank() && !username.startsWith("system:");
  }

  /** Why the identity may not act for this principal, or empty when it may. */
  public Optional<String> refusalFor(AgentIdentity identity) {
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
