package dev.tollgate.sidecar.policy;

import dev.tollgate.engine.decision.PolicyEngine;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The engine currently enforced, swapped atomically on reload. Absent until a first valid bundle
 * loads; every decision without one is a deny ({@code NoBundle}).
 */
public final class PolicyState {

  private final AtomicReference<PolicyEngine> current = new AtomicReference<>();
  private volatile String problem = "no bundle loaded yet";

  public Optional<PolicyEngine> engine() {
    return Optional.ofNullable(current.get());
  }

  /** Why there is no engine (or why the last reload failed, while an older one is enforced). */
  public String problem() {
    return problem;
  }

  public void install(PolicyEngine engine) {
    current.set(engine);
    problem = "";
  }

  public void reportProblem(String why) {
    problem = why;
  }
}
