package dev.tollgate.sidecar.policy;

import dev.tollgate.engine.decision.PolicyEngine;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The engine currently enforced, swapped atomically on reload. Absent until a first valid bundle
 * loads; every decision without one is a deny ({@code NoBundle}).
 *
 * <p>Ready means a bundle is enforced and its source still exists. When the source is withdrawn
 * (the ConfigMap deleted, the file gone) the last bundle keeps deciding, since denying everything
 * would stop the agent for what may be a redeploy, but the pod is reported not ready so that the
 * loss is visible and nothing new is routed to it.
 */
public final class PolicyState {

  private final AtomicReference<PolicyEngine> current = new AtomicReference<>();
  private volatile String problem = "no bundle loaded yet";
  private volatile boolean withdrawn;

  public Optional<PolicyEngine> engine() {
    return Optional.ofNullable(current.get());
  }

  /** Why there is no engine (or why the last reload failed, while an older one is enforced). */
  public String problem() {
    return problem;
  }

  /** A bundle is enforced and its source has not been withdrawn. */
  public boolean ready() {
    return current.get() != null && !withdrawn;
  }

  /** Whether the source of the enforced bundle is gone (see {@link #withdraw(String)}). */
  public boolean withdrawn() {
    return withdrawn;
  }

  public void install(PolicyEngine engine) {
    current.set(engine);
    problem = "";
    withdrawn = false;
  }

  /** A reload failed; the enforced bundle, if any, stays and stays ready. */
  public void reportProblem(String why) {
    problem = why;
  }

  /** The bundle's source is gone: the enforced bundle stays, but is no longer ready. */
  public void withdraw(String why) {
    problem = why;
    withdrawn = true;
  }
}
