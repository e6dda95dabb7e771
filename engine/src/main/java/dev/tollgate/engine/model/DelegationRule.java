package dev.tollgate.engine.model;

import java.util.Collection;
import java.util.List;

/**
 * Whether an AgentIdentity may act on behalf of a principal, from its {@code spec.delegation}. The
 * one place that decides it: the webhook applies it when it admits an agent pod, the engine on
 * every call, and the two must never disagree about whom an agent may work for.
 */
public final class DelegationRule {

  private final PrincipalList allowedPrincipals;
  private final boolean required;

  /**
   * @param allowedPrincipals {@code user:NAME} and {@code group:NAME} entries
   * @param required whether the identity must act on behalf of somebody
   */
  public DelegationRule(Collection<String> allowedPrincipals, boolean required) {
    this.allowedPrincipals = new PrincipalList(allowedPrincipals);
    this.required = required;
  }

  /** What the rule says about one principal. */
  public enum Verdict {
    /** The identity may act: for this principal, or for nobody in particular. */
    ALLOWED,
    /** Nobody was named, and the identity must act on behalf of somebody. */
    PRINCIPAL_REQUIRED,
    /** Neither the user nor any of their groups is allowed. */
    NOT_ALLOWED
  }

  /**
   * @param user the principal's user name without {@code user:}; empty (or null) for nobody
   * @param groups the principal's groups, without {@code group:}
   */
  public Verdict check(String user, List<String> groups) {
    if (user == null || user.isEmpty()) {
      return required ? Verdict.PRINCIPAL_REQUIRED : Verdict.ALLOWED;
    }
    return allowedPrincipals.names(user, groups) ? Verdict.ALLOWED : Verdict.NOT_ALLOWED;
  }
}
